"""Topic clusters of attendee questions, written by the analytics pipeline.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 06:39:25.424231
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from scheduling.db.rls import protect_tenant_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oh_topic_clusters",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("cluster_no", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column(
            "top_terms",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "examples",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("growth", sa.Float(), nullable=True),
        sa.Column("is_content_gap", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_topic_clusters")),
    )
    op.create_index(
        op.f("ix_oh_topic_clusters_org_id_computed_at"),
        "oh_topic_clusters",
        ["org_id", "computed_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_topic_clusters_org_id_run_id"),
        "oh_topic_clusters",
        ["org_id", "run_id"],
        unique=False,
    )
    protect_tenant_table("oh_topic_clusters")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
