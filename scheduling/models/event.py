"""Bookable event types, their hosts, questions and preparation resources."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, pg_enum, tenant_fk
from scheduling.models.enums import ConfirmationPage, LocationType, MeetingType, QuestionType


class Event(TenantMixin, TimestampMixin, Base):
    """An event type attendees book: duration, meeting type, constraints (roadmap 1.1-1.3)."""

    __tablename__ = "oh_events"
    __table_args__ = (
        UniqueConstraint("org_id", "slug"),
        tenant_fk(["schedule_id"], "oh_availability_schedules", ondelete=None),
        CheckConstraint("duration_minutes > 0", name="duration"),
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("guest_limit >= 0", name="guest_limit"),
        CheckConstraint("min_notice_hours >= 0", name="notice"),
        CheckConstraint("booking_window_days IS NULL OR booking_window_days > 0", name="window"),
        CheckConstraint(
            "slot_increment_minutes IS NULL OR slot_increment_minutes > 0", name="increment"
        ),
        CheckConstraint(
            "(buffer_before IS NULL OR buffer_before >= 0)"
            " AND (buffer_after IS NULL OR buffer_after >= 0)",
            name="buffers",
        ),
    )

    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    duration_minutes: Mapped[int] = mapped_column(Integer, server_default="30")
    slot_increment_minutes: Mapped[int | None] = mapped_column(Integer)
    location_type: Mapped[LocationType] = mapped_column(
        pg_enum(LocationType, "location_type"), server_default=LocationType.VIDEO.value
    )
    location: Mapped[str | None] = mapped_column(String(500))
    video_link: Mapped[str | None] = mapped_column(String(500))
    meeting_type: Mapped[MeetingType] = mapped_column(
        pg_enum(MeetingType, "meeting_type"), server_default=MeetingType.GROUP.value
    )
    capacity: Mapped[int] = mapped_column(Integer, server_default="1")
    # Phase 1.1: booking constraints. Buffers left NULL fall back to each host's defaults.
    min_notice_hours: Mapped[int] = mapped_column(Integer, server_default="24")
    max_daily_bookings: Mapped[int | None] = mapped_column(Integer)
    max_weekly_bookings: Mapped[int | None] = mapped_column(Integer)
    booking_window_days: Mapped[int | None] = mapped_column(Integer, server_default="60")
    require_approval: Mapped[bool] = mapped_column(Boolean, server_default="false")
    buffer_before: Mapped[int | None] = mapped_column(Integer)
    buffer_after: Mapped[int | None] = mapped_column(Integer)
    # Phase 1.2: guests.
    allow_guests: Mapped[bool] = mapped_column(Boolean, server_default="false")
    guest_limit: Mapped[int] = mapped_column(Integer, server_default="0")
    # Phase 1.3: time zones.
    display_timezone: Mapped[str] = mapped_column(String(64), server_default="America/New_York")
    lock_timezone: Mapped[bool] = mapped_column(Boolean, server_default="false")
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    collect_phone: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # Phase 4.5: what attendees see after booking.
    confirmation_page_type: Mapped[ConfirmationPage] = mapped_column(
        pg_enum(ConfirmationPage, "confirmation_page_type"),
        server_default=ConfirmationPage.DEFAULT.value,
    )
    confirmation_redirect_url: Mapped[str | None] = mapped_column(String(500))
    confirmation_custom_html: Mapped[str | None] = mapped_column(Text)
    show_add_to_calendar: Mapped[bool] = mapped_column(Boolean, server_default="true")
    show_reschedule_link: Mapped[bool] = mapped_column(Boolean, server_default="true")
    # A conversion-tracking script (https URL) loaded on the confirmation page only.
    conversion_script_url: Mapped[str | None] = mapped_column(String(500))


class EventHost(Base):
    """One host of an event; an event may have several (multi-host)."""

    __tablename__ = "oh_event_hosts"
    __table_args__ = (
        tenant_fk(["event_id"], "oh_events"),
        tenant_fk(["admin_id"], "oh_admins"),
        Index(None, "org_id", "admin_id"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, server_default="false")
    display_order: Mapped[int] = mapped_column(Integer, server_default="0")


class Question(TenantMixin, TimestampMixin, Base):
    """A custom question on an event's booking form."""

    __tablename__ = "oh_questions"
    __table_args__ = (tenant_fk(["event_id"], "oh_events"), Index(None, "org_id", "event_id"))

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    label: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str | None] = mapped_column(Text)
    question_type: Mapped[QuestionType] = mapped_column(
        pg_enum(QuestionType, "question_type"), server_default=QuestionType.TEXT.value
    )
    options: Mapped[list[Any]] = mapped_column(JSONB, server_default="[]")
    required: Mapped[bool] = mapped_column(Boolean, server_default="false")
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    # Set when the question leaves the form after it was answered: hidden, answers kept.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PrepResource(TenantMixin, TimestampMixin, Base):
    """Material attendees should look at before the meeting."""

    __tablename__ = "oh_prep_resources"
    __table_args__ = (tenant_fk(["event_id"], "oh_events"), Index(None, "org_id", "event_id"))

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, server_default="0")
