"""A btree on each host's occupied time in start order, for the booked-time reads.

The re-check of a booking and the slot reads asked the exclusion constraint's GiST index
for the host's rows near a time; it answers, but checks every entry of the pages it visits
(about 30 for a quarter of an hour, with half a year of history). This btree answers the
same in 3 to 10 pages (see booking.inputs.OCCUPIED_SQL).

The start is a stored generated column, `occupied_from = lower(during)`, not an expression
in the index: the application role reads under row-level security, where only leakproof
operators may be index conditions, and `lower()` of a range is not one (an expression index
was scanned by host alone, every row of the host). Adding the column rewrites the table
under an exclusive lock (a second or so per million rows); the index is then built
CONCURRENTLY, so bookings keep being written meanwhile. A build that failed leaves an
invalid index behind, so any index of this name is dropped first.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 10:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEX = "ix_oh_host_occupancy_org_id_admin_id_start"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE oh_host_occupancy ADD COLUMN IF NOT EXISTS occupied_from "
        "timestamp with time zone GENERATED ALWAYS AS (lower(during)) STORED"
    )
    with op.get_context().autocommit_block():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
        op.execute(
            f"CREATE INDEX CONCURRENTLY {INDEX} "
            "ON oh_host_occupancy (org_id, admin_id, occupied_from)"
        )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
