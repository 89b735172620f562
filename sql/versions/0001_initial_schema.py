"""Initial schema: tenancy (roles, RLS), the core data model and the job queue.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 05:58:48.403201
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.dialects import postgresql

from scheduling.db.rls import (
    grant_to_app,
    owner_reads_directory,
    prepare_database,
    protect_tenant_table,
    touch_updated_at,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    prepare_database()
    op.create_table(
        "oh_admins",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("is_host", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("max_meetings_per_day", sa.Integer(), server_default="8", nullable=True),
        sa.Column("max_meetings_per_week", sa.Integer(), server_default="30", nullable=True),
        sa.Column("default_buffer_before", sa.Integer(), server_default="0", nullable=False),
        sa.Column("default_buffer_after", sa.Integer(), server_default="15", nullable=False),
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
        sa.CheckConstraint(
            "default_buffer_before >= 0 AND default_buffer_after >= 0",
            name=op.f("ck_oh_admins_buffers"),
        ),
        sa.CheckConstraint(
            "max_meetings_per_day IS NULL OR max_meetings_per_day > 0",
            name=op.f("ck_oh_admins_day"),
        ),
        sa.CheckConstraint(
            "max_meetings_per_week IS NULL OR max_meetings_per_week > 0",
            name=op.f("ck_oh_admins_week"),
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_admins")),
        sa.UniqueConstraint("org_id", "email", name=op.f("uq_oh_admins_org_id_email")),
        sa.UniqueConstraint("org_id", "slug", name=op.f("uq_oh_admins_org_id_slug")),
    )
    op.create_table(
        "oh_analytics_events",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_type", sa.String(length=50), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("session_id", sa.String(length=100), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("referrer", sa.String(length=500), nullable=True),
        sa.Column("utm_source", sa.String(length=100), nullable=True),
        sa.Column("utm_medium", sa.String(length=100), nullable=True),
        sa.Column("utm_campaign", sa.String(length=100), nullable=True),
        sa.Column(
            "metadata",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_analytics_events")),
    )
    op.create_index(
        op.f("ix_oh_analytics_events_org_id_created_at_id"),
        "oh_analytics_events",
        ["org_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_analytics_events_org_id_event_id_created_at"),
        "oh_analytics_events",
        ["org_id", "event_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_analytics_events_org_id_event_type_created_at"),
        "oh_analytics_events",
        ["org_id", "event_type", "created_at"],
        unique=False,
    )
    op.create_table(
        "oh_demo_answer_topics",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("answer_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "answer_id", name=op.f("pk_oh_demo_answer_topics")),
    )
    op.create_table(
        "oh_organizations",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oh_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_oh_organizations_slug")),
    )
    op.create_table(
        "oh_outbox",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=True),
        sa.Column(
            "payload",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_outbox")),
    )
    op.create_index(
        op.f("ix_oh_outbox_org_id_occurred_at"),
        "oh_outbox",
        ["org_id", "occurred_at"],
        unique=False,
    )
    op.create_index(
        "ix_oh_outbox_pending",
        "oh_outbox",
        ["org_id", "id"],
        unique=False,
        postgresql_where=sa.text("dispatched_at IS NULL"),
    )
    op.create_table(
        "oh_tags",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("color", sa.String(length=20), server_default="#6b7280", nullable=False),
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
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_tags")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_oh_tags_org_id_name")),
    )
    op.create_table(
        "oh_teams",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("logo_url", sa.String(length=500), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
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
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_teams")),
        sa.UniqueConstraint("org_id", "slug", name=op.f("uq_oh_teams_org_id_slug")),
    )
    op.create_table(
        "oh_availability_schedules",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default="false", nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_availability_schedules_org_id_admin_id_oh_admins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_availability_schedules")),
    )
    op.create_index(
        op.f("ix_oh_availability_schedules_org_id_admin_id"),
        "oh_availability_schedules",
        ["org_id", "admin_id"],
        unique=False,
    )
    op.create_table(
        "oh_team_members",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("owner", "admin", "member", name="team_role"),
            server_default="member",
            nullable=False,
        ),
        sa.Column("display_order", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_team_members_org_id_admin_id_oh_admins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "team_id"],
            ["oh_teams.org_id", "oh_teams.id"],
            name=op.f("fk_oh_team_members_org_id_team_id_oh_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_team_members")),
        sa.UniqueConstraint(
            "org_id", "team_id", "admin_id", name=op.f("uq_oh_team_members_org_id_team_id_admin_id")
        ),
    )
    op.create_table(
        "oh_time_off",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=255), nullable=True),
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
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_oh_time_off_order")),
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_time_off_org_id_admin_id_oh_admins"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_time_off")),
    )
    op.create_index(
        op.f("ix_oh_time_off_org_id_admin_id_starts_at"),
        "oh_time_off",
        ["org_id", "admin_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "oh_availability_overrides",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("schedule_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.CheckConstraint(
            "(start_time IS NULL AND end_time IS NULL) OR start_time < end_time",
            name=op.f("ck_oh_availability_overrides_order"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "schedule_id"],
            ["oh_availability_schedules.org_id", "oh_availability_schedules.id"],
            name=op.f("fk_oh_availability_overrides_org_id_schedule_id_oh_availability_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_availability_overrides")),
    )
    op.create_index(
        op.f("ix_oh_availability_overrides_org_id_schedule_id_day"),
        "oh_availability_overrides",
        ["org_id", "schedule_id", "day"],
        unique=False,
    )
    op.create_table(
        "oh_availability_rules",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("schedule_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.CheckConstraint("start_time < end_time", name=op.f("ck_oh_availability_rules_order")),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_oh_availability_rules_weekday")
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "schedule_id"],
            ["oh_availability_schedules.org_id", "oh_availability_schedules.id"],
            name=op.f("fk_oh_availability_rules_org_id_schedule_id_oh_availability_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_availability_rules")),
    )
    op.create_index(
        op.f("ix_oh_availability_rules_org_id_schedule_id"),
        "oh_availability_rules",
        ["org_id", "schedule_id"],
        unique=False,
    )
    op.create_table(
        "oh_events",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), server_default="30", nullable=False),
        sa.Column("slot_increment_minutes", sa.Integer(), nullable=True),
        sa.Column(
            "location_type",
            sa.Enum("video", "phone", "in_person", "custom", name="location_type"),
            server_default="video",
            nullable=False,
        ),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("video_link", sa.String(length=500), nullable=True),
        sa.Column(
            "meeting_type",
            sa.Enum(
                "one_on_one", "group", "collective", "round_robin", "panel", name="meeting_type"
            ),
            server_default="group",
            nullable=False,
        ),
        sa.Column("capacity", sa.Integer(), server_default="1", nullable=False),
        sa.Column("min_notice_hours", sa.Integer(), server_default="24", nullable=False),
        sa.Column("max_daily_bookings", sa.Integer(), nullable=True),
        sa.Column("max_weekly_bookings", sa.Integer(), nullable=True),
        sa.Column("booking_window_days", sa.Integer(), server_default="60", nullable=True),
        sa.Column("require_approval", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("buffer_before", sa.Integer(), nullable=True),
        sa.Column("buffer_after", sa.Integer(), nullable=True),
        sa.Column("allow_guests", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("guest_limit", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "display_timezone",
            sa.String(length=64),
            server_default="America/New_York",
            nullable=False,
        ),
        sa.Column("lock_timezone", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("schedule_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
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
        sa.CheckConstraint(
            "(buffer_before IS NULL OR buffer_before >= 0)"
            " AND (buffer_after IS NULL OR buffer_after >= 0)",
            name=op.f("ck_oh_events_buffers"),
        ),
        sa.CheckConstraint(
            "booking_window_days IS NULL OR booking_window_days > 0",
            name=op.f("ck_oh_events_window"),
        ),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_oh_events_capacity")),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_oh_events_duration")),
        sa.CheckConstraint("guest_limit >= 0", name=op.f("ck_oh_events_guest_limit")),
        sa.CheckConstraint("min_notice_hours >= 0", name=op.f("ck_oh_events_notice")),
        sa.CheckConstraint(
            "slot_increment_minutes IS NULL OR slot_increment_minutes > 0",
            name=op.f("ck_oh_events_increment"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "schedule_id"],
            ["oh_availability_schedules.org_id", "oh_availability_schedules.id"],
            name=op.f("fk_oh_events_org_id_schedule_id_oh_availability_schedules"),
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_events")),
        sa.UniqueConstraint("org_id", "slug", name=op.f("uq_oh_events_org_id_slug")),
    )
    op.create_table(
        "oh_booking_series",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("rrule", sa.String(length=500), nullable=False),
        sa.Column("attendee_email", sa.String(length=320), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_booking_series_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_booking_series")),
    )
    op.create_table(
        "oh_email_templates",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "confirmation",
                "reminder",
                "cancellation",
                "reschedule",
                "approval_requested",
                "approved",
                "declined",
                name="template_kind",
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_email_templates_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_email_templates")),
        sa.UniqueConstraint(
            "org_id",
            "event_id",
            "kind",
            name=op.f("uq_oh_email_templates_org_id_event_id_kind"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_table(
        "oh_event_hosts",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("display_order", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_event_hosts_org_id_admin_id_oh_admins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_event_hosts_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "event_id", "admin_id", name=op.f("pk_oh_event_hosts")),
    )
    op.create_index(
        op.f("ix_oh_event_hosts_org_id_admin_id"),
        "oh_event_hosts",
        ["org_id", "admin_id"],
        unique=False,
    )
    op.create_table(
        "oh_prep_resources",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_prep_resources_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_prep_resources")),
    )
    op.create_index(
        op.f("ix_oh_prep_resources_org_id_event_id"),
        "oh_prep_resources",
        ["org_id", "event_id"],
        unique=False,
    )
    op.create_table(
        "oh_questions",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("help_text", sa.Text(), nullable=True),
        sa.Column(
            "question_type",
            sa.Enum(
                "text",
                "textarea",
                "select",
                "multi_select",
                "number",
                "email",
                "phone",
                name="question_type",
            ),
            server_default="text",
            nullable=False,
        ),
        sa.Column(
            "options", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False
        ),
        sa.Column("required", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_questions_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_questions")),
    )
    op.create_index(
        op.f("ix_oh_questions_org_id_event_id"),
        "oh_questions",
        ["org_id", "event_id"],
        unique=False,
    )
    op.create_table(
        "oh_slots",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("host_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("is_cancelled", sa.Boolean(), server_default="false", nullable=False),
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
        sa.CheckConstraint("capacity > 0", name=op.f("ck_oh_slots_capacity")),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_oh_slots_order")),
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_slots_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "host_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_slots_org_id_host_id_oh_admins"),
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_slots")),
    )
    op.create_index(
        op.f("ix_oh_slots_org_id_event_id_starts_at"),
        "oh_slots",
        ["org_id", "event_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "oh_bookings",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("slot_id", sa.Uuid(), nullable=True),
        sa.Column("series_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending_approval",
                "confirmed",
                "declined",
                "cancelled",
                "rescheduled",
                name="booking_status",
            ),
            server_default="confirmed",
            nullable=False,
        ),
        sa.Column(
            "attendance",
            sa.Enum("unknown", "attended", "no_show", name="attendance"),
            server_default="unknown",
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("buffer_before", sa.Integer(), server_default="0", nullable=False),
        sa.Column("buffer_after", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attendee_timezone", sa.String(length=64), nullable=True),
        sa.Column("manage_token_hash", sa.String(length=128), nullable=True),
        sa.Column("manage_token_revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("rescheduled_from_id", sa.Uuid(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=320), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("ics_sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("source", sa.String(length=50), nullable=True),
        sa.Column("referrer", sa.String(length=500), nullable=True),
        sa.Column("utm_source", sa.String(length=100), nullable=True),
        sa.Column("utm_medium", sa.String(length=100), nullable=True),
        sa.Column("utm_campaign", sa.String(length=100), nullable=True),
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
        sa.CheckConstraint(
            "buffer_before >= 0 AND buffer_after >= 0", name=op.f("ck_oh_bookings_buffers")
        ),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_oh_bookings_order")),
        sa.ForeignKeyConstraint(
            ["org_id", "event_id"],
            ["oh_events.org_id", "oh_events.id"],
            name=op.f("fk_oh_bookings_org_id_event_id_oh_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "rescheduled_from_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_bookings_org_id_rescheduled_from_id_oh_bookings"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "series_id"],
            ["oh_booking_series.org_id", "oh_booking_series.id"],
            name=op.f("fk_oh_bookings_org_id_series_id_oh_booking_series"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "slot_id"],
            ["oh_slots.org_id", "oh_slots.id"],
            name=op.f("fk_oh_bookings_org_id_slot_id_oh_slots"),
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_bookings")),
    )
    op.create_index(
        op.f("ix_oh_bookings_org_id_event_id_starts_at"),
        "oh_bookings",
        ["org_id", "event_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_bookings_org_id_starts_at"),
        "oh_bookings",
        ["org_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_bookings_org_id_updated_at_id"),
        "oh_bookings",
        ["org_id", "updated_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_oh_bookings_idempotency",
        "oh_bookings",
        ["org_id", "idempotency_key"],
        unique=True,
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.create_table(
        "oh_answers",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.Uuid(), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_answers_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "question_id"],
            ["oh_questions.org_id", "oh_questions.id"],
            name=op.f("fk_oh_answers_org_id_question_id_oh_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_answers")),
    )
    op.create_index(
        op.f("ix_oh_answers_org_id_booking_id"),
        "oh_answers",
        ["org_id", "booking_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_answers_org_id_question_id"),
        "oh_answers",
        ["org_id", "question_id"],
        unique=False,
    )
    op.create_table(
        "oh_attendees",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("is_guest", sa.Boolean(), server_default="false", nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_attendees_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_attendees")),
    )
    op.create_index(
        op.f("ix_oh_attendees_org_id_booking_id"),
        "oh_attendees",
        ["org_id", "booking_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_oh_attendees_org_id_email"), "oh_attendees", ["org_id", "email"], unique=False
    )
    op.create_table(
        "oh_booking_hosts",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("admin_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "admin_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_booking_hosts_org_id_admin_id_oh_admins"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_booking_hosts_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "booking_id", "admin_id", name=op.f("pk_oh_booking_hosts")
        ),
    )
    op.create_index(
        op.f("ix_oh_booking_hosts_org_id_admin_id"),
        "oh_booking_hosts",
        ["org_id", "admin_id"],
        unique=False,
    )
    op.create_table(
        "oh_booking_tags",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_booking_tags_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "tag_id"],
            ["oh_tags.org_id", "oh_tags.id"],
            name=op.f("fk_oh_booking_tags_org_id_tag_id_oh_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "booking_id", "tag_id", name=op.f("pk_oh_booking_tags")),
    )
    op.create_index(
        op.f("ix_oh_booking_tags_org_id_tag_id"),
        "oh_booking_tags",
        ["org_id", "tag_id"],
        unique=False,
    )
    op.create_table(
        "oh_feedback",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("nps_score", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
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
        sa.CheckConstraint(
            "nps_score IS NULL OR nps_score BETWEEN 0 AND 10", name=op.f("ck_oh_feedback_nps")
        ),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_oh_feedback_rating")),
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_feedback_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_feedback")),
        sa.UniqueConstraint("org_id", "booking_id", name=op.f("uq_oh_feedback_org_id_booking_id")),
    )
    op.create_table(
        "oh_notes",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["org_id", "author_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_notes_org_id_author_id_oh_admins"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_notes_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_notes")),
    )
    op.create_index(
        op.f("ix_oh_notes_org_id_booking_id"), "oh_notes", ["org_id", "booking_id"], unique=False
    )
    op.create_table(
        "oh_tasks",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["org_id", "assignee_id"],
            ["oh_admins.org_id", "oh_admins.id"],
            name=op.f("fk_oh_tasks_org_id_assignee_id_oh_admins"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "booking_id"],
            ["oh_bookings.org_id", "oh_bookings.id"],
            name=op.f("fk_oh_tasks_org_id_booking_id_oh_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_oh_tasks")),
    )
    op.create_index(
        op.f("ix_oh_tasks_org_id_assignee_id_due_at"),
        "oh_tasks",
        ["org_id", "assignee_id", "due_at"],
        unique=False,
    )
    secure_tables()
    install_job_queue()


TENANT_TABLES = (
    "oh_admins",
    "oh_analytics_events",
    "oh_answers",
    "oh_attendees",
    "oh_availability_overrides",
    "oh_availability_rules",
    "oh_availability_schedules",
    "oh_booking_hosts",
    "oh_booking_series",
    "oh_booking_tags",
    "oh_bookings",
    "oh_demo_answer_topics",
    "oh_email_templates",
    "oh_event_hosts",
    "oh_events",
    "oh_feedback",
    "oh_notes",
    "oh_outbox",
    "oh_prep_resources",
    "oh_questions",
    "oh_slots",
    "oh_tags",
    "oh_tasks",
    "oh_team_members",
    "oh_teams",
    "oh_time_off",
)
TOUCHED_TABLES = (
    "oh_admins",
    "oh_answers",
    "oh_attendees",
    "oh_availability_schedules",
    "oh_booking_series",
    "oh_bookings",
    "oh_email_templates",
    "oh_events",
    "oh_feedback",
    "oh_notes",
    "oh_prep_resources",
    "oh_questions",
    "oh_slots",
    "oh_tags",
    "oh_tasks",
    "oh_teams",
    "oh_time_off",
)


def secure_tables() -> None:
    """Row-level security on every tenant table, `updated_at` triggers, app-role grants."""
    protect_tenant_table("oh_organizations", key="id")
    owner_reads_directory("oh_organizations")
    for table in TENANT_TABLES:
        protect_tenant_table(table)
    for table in TOUCHED_TABLES:
        touch_updated_at(table)
    grant_to_app("alembic_version", "SELECT")


def install_job_queue() -> None:
    """procrastinate's schema (3.10), used by the application role through the job queue."""
    op.execute(SchemaManager.get_schema())
    op.execute(
        """
        DO $$
        DECLARE t record;
        BEGIN
            FOR t IN SELECT tablename FROM pg_tables
                     WHERE schemaname = 'public' AND tablename LIKE 'procrastinate%' LOOP
                EXECUTE format(
                    'GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO liveschool_app', t.tablename
                );
            END LOOP;
        END
        $$;
        """
    )
    op.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO liveschool_app")


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
