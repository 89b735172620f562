"""Messages about a booking handed to another host: the template kind `reassigned`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 09:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding an enum value is allowed inside a transaction; nothing here uses it before commit.
    op.execute("ALTER TYPE template_kind ADD VALUE IF NOT EXISTS 'reassigned'")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
