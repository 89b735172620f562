"""Indexes for funnels by browser session and for a booking's analytics events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 06:35:09.222109
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_oh_analytics_events_org_id_booking_id"),
        "oh_analytics_events",
        ["org_id", "booking_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_analytics_events_org_id_session_id_created_at"),
        "oh_analytics_events",
        ["org_id", "session_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
