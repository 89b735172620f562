"""An index on the queued jobs' booking, for cancelling a booking's reminders.

`notify.dispatch.cancel_reminders` finds a booking's reminders by `args->>'booking_id'`
among the jobs still to run; without an index every cancel and reschedule read the whole
job table, which grows with the job history. Partial on `status = 'todo'`, a condition the
query states literally, so generic plans can use it too. Built CONCURRENTLY: jobs keep
being queued while it builds.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 15:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEX = "oh_procrastinate_jobs_todo_booking_idx"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
        op.execute(
            f"CREATE INDEX CONCURRENTLY {INDEX} ON procrastinate_jobs "
            "((args->>'booking_id')) WHERE status = 'todo'"
        )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
