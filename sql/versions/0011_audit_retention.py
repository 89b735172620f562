"""Audit retention: how many days each organisation keeps its audit log (default 365).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # oh_organizations keeps its row-level security and grants: a new column needs neither.
    op.add_column(
        "oh_organizations",
        sa.Column("audit_retention_days", sa.Integer(), server_default="365", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_oh_organizations_audit_retention"),
        "oh_organizations",
        "audit_retention_days BETWEEN 30 AND 3650",
    )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
