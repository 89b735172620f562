"""Public face: organisation lookups for public pages, rate-limit counters.

The lookups are SECURITY DEFINER functions owned by the schema owner (who may read the
organisations directory): the application role learns an organisation's id from its slug
without being able to list organisations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:18:12.633657
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from scheduling.db.rls import protect_tenant_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oh_rate_limits",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("bucket", sa.String(length=50), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint(
            "org_id", "bucket", "key", "window_start", name=op.f("pk_oh_rate_limits")
        ),
    )
    protect_tenant_table("oh_rate_limits")
    for statement in LOOKUPS:
        op.execute(statement)


LOOKUPS = (
    """
    CREATE FUNCTION oh_org_id_by_slug(p_slug text) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT id FROM oh_organizations WHERE slug = p_slug $$
    """,
    """
    CREATE FUNCTION oh_first_org_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT id FROM oh_organizations ORDER BY created_at, id LIMIT 1 $$
    """,
    "REVOKE ALL ON FUNCTION oh_org_id_by_slug(text), oh_first_org_id() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION oh_org_id_by_slug(text), oh_first_org_id() TO liveschool_app",
)


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
