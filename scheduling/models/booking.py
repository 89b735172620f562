"""Bookings with their hosts, attendees, guests and answers; group sessions and series."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSTZRANGE, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, pg_enum, tenant_fk
from scheduling.models.enums import Attendance, BookingStatus


class GroupSession(TenantMixin, TimestampMixin, Base):
    """A scheduled session of a group event with a capacity (the roadmap's `oh_slots`)."""

    __tablename__ = "oh_slots"
    __table_args__ = (
        tenant_fk(["event_id"], "oh_events"),
        tenant_fk(["host_id"], "oh_admins", ondelete=None),
        Index(None, "org_id", "event_id", "starts_at"),
        CheckConstraint("starts_at < ends_at", name="order"),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    host_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int] = mapped_column(Integer)
    is_cancelled: Mapped[bool] = mapped_column(Boolean, server_default="false")


class BookingSeries(TenantMixin, TimestampMixin, Base):
    """Recurring bookings made together, described by an RFC 5545 recurrence rule."""

    __tablename__ = "oh_booking_series"
    __table_args__ = (tenant_fk(["event_id"], "oh_events"),)

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    rrule: Mapped[str] = mapped_column(String(500))
    attendee_email: Mapped[str] = mapped_column(String(320))


class Booking(TenantMixin, TimestampMixin, Base):
    """One booked meeting: time, status, attendance and self-service token."""

    __tablename__ = "oh_bookings"
    __table_args__ = (
        tenant_fk(["event_id"], "oh_events"),
        tenant_fk(["slot_id"], "oh_slots", ondelete=None),
        tenant_fk(["series_id"], "oh_booking_series", ondelete="SET NULL"),
        tenant_fk(["rescheduled_from_id"], "oh_bookings", ondelete=None),
        Index(None, "org_id", "event_id", "starts_at"),
        Index(None, "org_id", "starts_at"),
        Index(None, "org_id", "updated_at", "id"),
        Index(
            "uq_oh_bookings_idempotency",
            "org_id",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
        CheckConstraint("starts_at < ends_at", name="order"),
        CheckConstraint("buffer_before >= 0 AND buffer_after >= 0", name="buffers"),
        CheckConstraint("seats > 0", name="seats"),
        Index(None, "org_id", "slot_id"),
        Index(None, "org_id", "rescheduled_from_id"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    slot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    series_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[BookingStatus] = mapped_column(
        pg_enum(BookingStatus, "booking_status"), server_default=BookingStatus.CONFIRMED.value
    )
    attendance: Mapped[Attendance] = mapped_column(
        pg_enum(Attendance, "attendance"), server_default=Attendance.UNKNOWN.value
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Buffers in force when booked: the time this booking occupies stays fixed if the
    # event's settings change later.
    buffer_before: Mapped[int] = mapped_column(Integer, server_default="0")
    buffer_after: Mapped[int] = mapped_column(Integer, server_default="0")
    attendee_timezone: Mapped[str | None] = mapped_column(String(64))
    manage_token_hash: Mapped[str | None] = mapped_column(String(128))
    manage_token_revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    rescheduled_from_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[str | None] = mapped_column(String(320))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    ics_sequence: Mapped[int] = mapped_column(Integer, server_default="0")
    # The calendar UID, shared by every booking of one reschedule chain.
    ical_uid: Mapped[str | None] = mapped_column(String(255))
    # Places taken in a group session: the attendee plus guests.
    seats: Mapped[int] = mapped_column(Integer, server_default="1")
    source: Mapped[str | None] = mapped_column(String(50))
    referrer: Mapped[str | None] = mapped_column(String(500))
    utm_source: Mapped[str | None] = mapped_column(String(100))
    utm_medium: Mapped[str | None] = mapped_column(String(100))
    utm_campaign: Mapped[str | None] = mapped_column(String(100))

    @property
    def utm(self) -> dict[str, str]:
        """The campaign the booking came from: its UTM source, medium and campaign, those set."""
        given = (
            ("source", self.utm_source),
            ("medium", self.utm_medium),
            ("campaign", self.utm_campaign),
        )
        return {key: value for key, value in given if value}


class BookingHost(Base):
    """A host taking part in a booking (several for collective and panel meetings)."""

    __tablename__ = "oh_booking_hosts"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        tenant_fk(["admin_id"], "oh_admins", ondelete=None),
        Index(None, "org_id", "admin_id"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class Attendee(TenantMixin, TimestampMixin, Base):
    """The person who booked, or a guest they brought (`is_guest`)."""

    __tablename__ = "oh_attendees"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        Index(None, "org_id", "booking_id"),
        Index(None, "org_id", "email"),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_guest: Mapped[bool] = mapped_column(Boolean, server_default="false")


class Answer(TenantMixin, TimestampMixin, Base):
    """An attendee's answer to one custom question; `value` keeps lists and numbers as such."""

    __tablename__ = "oh_answers"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        tenant_fk(["question_id"], "oh_questions"),
        Index(None, "org_id", "booking_id"),
        Index(None, "org_id", "question_id"),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    question_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    value: Mapped[Any] = mapped_column(JSONB)


OCCUPANCY_START_INDEX = "ix_oh_host_occupancy_org_id_admin_id_start"


class HostOccupancy(TenantMixin, Base):
    """Time a host is committed, buffers included; the database refuses any overlap per host.

    One row per host of each live one-on-one, collective or panel booking, and per host of
    each group session that has at least one live booking. Rows are deleted when the booking
    is cancelled, declined or rescheduled, which frees the time.
    """

    __tablename__ = "oh_host_occupancy"
    __table_args__ = (
        tenant_fk(["admin_id"], "oh_admins"),
        tenant_fk(["booking_id"], "oh_bookings"),
        tenant_fk(["slot_id"], "oh_slots"),
        UniqueConstraint("org_id", "booking_id", "admin_id"),
        UniqueConstraint("org_id", "slot_id", "admin_id"),
        CheckConstraint("num_nonnulls(booking_id, slot_id) = 1", name="one_owner"),
        ExcludeConstraint(
            ("org_id", "="),
            ("admin_id", "="),
            ("during", "&&"),
            name="ex_oh_host_occupancy_no_overlap",
            using="gist",
        ),
        # A host's time in start order (its rows never overlap, so in end order too): the
        # reads of booked time are ranges of this btree (see booking.inputs.OCCUPIED_SQL).
        Index(OCCUPANCY_START_INDEX, "org_id", "admin_id", "occupied_from"),
    )

    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    booking_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    slot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    during: Mapped[Range[datetime]] = mapped_column(TSTZRANGE)
    # lower(during) as a column of its own: under row-level security only leakproof
    # operators may be index conditions, and lower() of a range is not, so an index on the
    # expression would be scanned by host alone.
    occupied_from: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), Computed("lower(during)", persisted=True)
    )
