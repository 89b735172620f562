"""Booking integrity: the database refuses overlapping host time (btree_gist exclusion).

Also adds the calendar UID kept across reschedules and the seats a booking takes. No
backfill: 0001 and 0002 ship together, so no database holds bookings from before it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:09:59.145205
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from scheduling.db.rls import protect_tenant_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "oh_host_occupancy",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("slot_id", sa.Uuid(), nullable=True),
        sa.Column("during", postgresql.TSTZRANGE(), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("org_id"), "="),
            (sa.column("admin_id"), "="),
            (sa.column("during"), "&&"),
            using="gist",
            name="ex_oh_host_occupancy_no_overlap",
        ),
        sa.CheckConstraint(
            "num_nonnulls(booking_id, slot_id) = 1", name=op.f("ck_oh_host_occupancy_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_host_occupancy_org_id_admin_id_oh_admins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_host_occupancy_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "slot_id"],
            ["oh_slots.org_id", "oh_slots.id"],
            name=op.f("fk_oh_host_occupancy_org_id_slot_id_oh_slots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_host_occupancy")),
        sa.UniqueConstraint(
            "org_id",
            "booking_id",
            "admin_id",
            name=op.f("uq_oh_host_occupancy_org_id_booking_id_admin_id"),
        ),
        sa.UniqueConstraint(
            "org_id",
            "slot_id",
            "admin_id",
            name=op.f("uq_oh_host_occupancy_org_id_slot_id_admin_id"),
        ),
    )
    op.add_column("oh_bookings", sa.Column("ical_uid", sa.String(length=255), nullable=True))
    op.add_column(
        "oh_bookings", sa.Column("seats", sa.Integer(), server_default="1", nullable=False)
    )
    op.create_index(
        op.f("ix_oh_bookings_org_id_rescheduled_from_id"),
        "oh_bookings",
        ["org_id", "rescheduled_from_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_bookings_org_id_slot_id"), "oh_bookings", ["org_id", "slot_id"], unique=False
    )
    op.create_check_constraint("seats", "oh_bookings", "seats > 0")
    protect_tenant_table("oh_host_occupancy")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
