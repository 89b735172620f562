"""Console sessions kept in the database, so signing out (or an administrator) can revoke them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 08:40:14.040245
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduling.db.rls import protect_tenant_table

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oh_console_sessions",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.CheckConstraint("created_at < expires_at", name=op.f("ck_oh_console_sessions_order")),
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_console_sessions_org_id_admin_id_oh_admins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_console_sessions")),
    )
    op.create_index(
        op.f("ix_oh_console_sessions_org_id_admin_id"),
        "oh_console_sessions",
        ["org_id", "admin_id"],
        unique=False,
    )
    protect_tenant_table("oh_console_sessions")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
