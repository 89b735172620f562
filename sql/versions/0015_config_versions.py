"""A version number per organisation, changed by every change to what booking reads of an
event's setup: the event, its questions and hosts, the hosts themselves, their schedules,
weekly rules and date overrides.

The booking face keeps each event's setup in memory (`scheduling.booking.setup`) and reads
this one number at the start of each transaction instead of the setup's three queries; a
different number means something changed, and the setup is read again. Row triggers, so a
write from anywhere (console, demo seed, a psql session) bumps it in its own transaction:
readers see the new number exactly when they can see the change. Writes to one
organisation's setup queue on its row until they commit; they are an admin's edits.

The numbers come from one sequence that nothing resets (it belongs to no column, so even
`TRUNCATE ... RESTART IDENTITY` leaves it alone): every committed change gets a number never
used before, so a deleted and re-created organisation (a demo reset, a test database
emptied between tests) can never meet a setup kept under one of its old numbers.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 18:00:00.000000
"""

from __future__ import annotations

from alembic import op

from scheduling.config import APP_ROLE
from scheduling.db.rls import protect_tenant_table

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SETUP_TABLES = (
    "oh_events",
    "oh_questions",
    "oh_event_hosts",
    "oh_admins",
    "oh_availability_schedules",
    "oh_availability_rules",
    "oh_availability_overrides",
)


def upgrade() -> None:
    op.execute("CREATE SEQUENCE oh_config_version_seq")
    op.execute(f"GRANT USAGE ON SEQUENCE oh_config_version_seq TO {APP_ROLE}")
    op.execute(
        """
        CREATE TABLE oh_config_versions (
            org_id uuid CONSTRAINT pk_oh_config_versions PRIMARY KEY,
            version bigint NOT NULL
        )
        """
    )
    protect_tenant_table("oh_config_versions")
    op.execute(
        """
        CREATE FUNCTION oh_bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO oh_config_versions (org_id, version)
            VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id ELSE NEW.org_id END,
                    nextval('oh_config_version_seq'))
            ON CONFLICT (org_id) DO UPDATE SET version = EXCLUDED.version;
            RETURN NULL;
        END;
        $$
        """
    )
    for table in SETUP_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_config_version AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION oh_bump_config_version()"
        )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
