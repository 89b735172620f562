"""Working hours: weekly wall-clock rules in a zone, date overrides and time off."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    SmallInteger,
    String,
    Time,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, tenant_fk


class AvailabilitySchedule(TenantMixin, TimestampMixin, Base):
    """A named set of working hours of one host; a host may own several."""

    __tablename__ = "oh_availability_schedules"
    __table_args__ = (tenant_fk(["admin_id"], "oh_admins"), Index(None, "org_id", "admin_id"))

    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64))
    is_default: Mapped[bool] = mapped_column(Boolean, server_default="false")


class AvailabilityRule(TenantMixin, Base):
    """Open from `start_time` to `end_time` (wall clock, the schedule's zone) on a weekday."""

    __tablename__ = "oh_availability_rules"
    __table_args__ = (
        tenant_fk(["schedule_id"], "oh_availability_schedules"),
        Index(None, "org_id", "schedule_id"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_time < end_time", name="order"),
    )

    schedule_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 = Monday, as in date.weekday()
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class AvailabilityOverride(TenantMixin, Base):
    """Replaces one date's hours; a row without times makes the whole day off."""

    __tablename__ = "oh_availability_overrides"
    __table_args__ = (
        tenant_fk(["schedule_id"], "oh_availability_schedules"),
        Index(None, "org_id", "schedule_id", "day"),
        CheckConstraint(
            "(start_time IS NULL AND end_time IS NULL) OR start_time < end_time", name="order"
        ),
    )

    schedule_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)


class TimeOff(TenantMixin, TimestampMixin, Base):
    """A host away from `starts_at` to `ends_at`, possibly spanning days."""

    __tablename__ = "oh_time_off"
    __table_args__ = (
        tenant_fk(["admin_id"], "oh_admins"),
        Index(None, "org_id", "admin_id", "starts_at"),
        CheckConstraint("starts_at < ends_at", name="order"),
    )

    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(String(255))
