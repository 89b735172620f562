"""Access control: roles with permissions and scope, console accounts, the audit log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 06:40:41.338320
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from scheduling.db.rls import protect_tenant_table, touch_updated_at

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oh_audit_logs",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_label", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("old_values", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("new_values", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_audit_logs")),
    )
    op.create_index(
        op.f("ix_oh_audit_logs_org_id_action_created_at"),
        "oh_audit_logs",
        ["org_id", "action", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_audit_logs_org_id_actor_id_created_at"),
        "oh_audit_logs",
        ["org_id", "actor_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_audit_logs_org_id_created_at"),
        "oh_audit_logs",
        ["org_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_audit_logs_org_id_entity_type_entity_id"),
        "oh_audit_logs",
        ["org_id", "entity_type", "entity_id"],
        unique=False,
    )
    op.create_table(
        "oh_roles",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("permissions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("scope", sa.String(length=10), server_default="own", nullable=False),
        sa.Column("is_system", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("scope IN ('own', 'team', 'org')", name=op.f("ck_oh_roles_scope")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_roles")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_oh_roles_org_id_name")),
    )
    op.add_column("oh_admins", sa.Column("role_id", sa.Uuid(), nullable=True))
    op.add_column("oh_admins", sa.Column("password_hash", sa.String(length=255), nullable=True))
    op.add_column(
        "oh_admins", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("oh_admins", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "oh_admins", sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(op.f("ix_oh_admins_org_id_role_id"), "oh_admins", ["org_id", "role_id"])
    op.create_foreign_key(
        op.f("fk_oh_admins_org_id_role_id_oh_roles"),
        "oh_admins",
        "oh_roles",
        ["org_id", "role_id"],
        ["org_id", "id"],
    )
    protect_tenant_table("oh_roles")
    touch_updated_at("oh_roles")
    protect_tenant_table("oh_audit_logs")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
