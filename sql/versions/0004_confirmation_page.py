"""Confirmation page settings (roadmap 4.5) and phone collection on events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:21:24.205004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sa.Enum("default", "redirect", "custom", name="confirmation_page_type").create(
        op.get_bind(), checkfirst=True
    )
    op.add_column(
        "oh_events",
        sa.Column("collect_phone", sa.Boolean(), server_default="false", nullable=False),
    )
    op.add_column(
        "oh_events",
        sa.Column(
            "confirmation_page_type",
            sa.Enum("default", "redirect", "custom", name="confirmation_page_type"),
            server_default="default",
            nullable=False,
        ),
    )
    op.add_column(
        "oh_events", sa.Column("confirmation_redirect_url", sa.String(length=500), nullable=True)
    )
    op.add_column("oh_events", sa.Column("confirmation_custom_html", sa.Text(), nullable=True))
    op.add_column(
        "oh_events",
        sa.Column("show_add_to_calendar", sa.Boolean(), server_default="true", nullable=False),
    )
    op.add_column(
        "oh_events",
        sa.Column("show_reschedule_link", sa.Boolean(), server_default="true", nullable=False),
    )
    op.add_column(
        "oh_events", sa.Column("conversion_script_url", sa.String(length=500), nullable=True)
    )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
