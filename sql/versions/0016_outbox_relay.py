"""The worker relays the outbox: it may find which organisations have events to relay.

Events are relayed per organisation, in that organisation's tenant transaction, by the
application role; but which organisations have any pending is a question across tenants.
The schema owner (the worker's directory connection, as for the audit purge) may now read
the pending rows of every organisation, and nothing else of the outbox: a second SELECT
policy, limited to `dispatched_at IS NULL`, beside the tenant policy.

Events written before this revision had their messages queued by the transaction that
wrote them: they are marked dispatched (at the time they occurred), so the relay never
sends them again. FORCE is lifted for that one statement, so the owner's update reaches
every organisation's rows.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 22:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "DO $$ BEGIN EXECUTE format("
        "'CREATE POLICY owner_pending_outbox ON oh_outbox FOR SELECT TO %I "
        "USING (dispatched_at IS NULL)', current_user); END $$"
    )
    op.execute("ALTER TABLE oh_outbox NO FORCE ROW LEVEL SECURITY")
    op.execute("UPDATE oh_outbox SET dispatched_at = occurred_at WHERE dispatched_at IS NULL")
    op.execute("ALTER TABLE oh_outbox FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
