"""What hosts attach to bookings: tags, tasks, notes; and what attendees send back: feedback."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, tenant_fk


class Tag(TenantMixin, TimestampMixin, Base):
    """A label hosts put on bookings."""

    __tablename__ = "oh_tags"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str] = mapped_column(String(20), server_default="#6b7280")


class BookingTag(Base):
    """A tag on a booking."""

    __tablename__ = "oh_booking_tags"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        tenant_fk(["tag_id"], "oh_tags"),
        Index(None, "org_id", "tag_id"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tag_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class Task(TenantMixin, TimestampMixin, Base):
    """A follow-up to do, usually about a booking."""

    __tablename__ = "oh_tasks"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        tenant_fk(["assignee_id"], "oh_admins", ondelete="SET NULL"),
        Index(None, "org_id", "assignee_id", "due_at"),
    )

    booking_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(500))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Note(TenantMixin, TimestampMixin, Base):
    """A host's private note on a booking."""

    __tablename__ = "oh_notes"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        tenant_fk(["author_id"], "oh_admins", ondelete="SET NULL"),
        Index(None, "org_id", "booking_id"),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    body: Mapped[str] = mapped_column(Text)


class Feedback(TenantMixin, TimestampMixin, Base):
    """An attendee's rating (1-5), likelihood to recommend (0-10) and comment."""

    __tablename__ = "oh_feedback"
    __table_args__ = (
        tenant_fk(["booking_id"], "oh_bookings"),
        UniqueConstraint("org_id", "booking_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint("nps_score IS NULL OR nps_score BETWEEN 0 AND 10", name="nps"),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    rating: Mapped[int] = mapped_column(SmallInteger)
    nps_score: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
