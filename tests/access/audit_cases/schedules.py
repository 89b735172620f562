"""Audit cases for the schedule editing services (scheduling.schedules)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

import scheduling.schedules as schedules
from scheduling.access import Actor
from scheduling.models import AvailabilitySchedule
from tests.access.audit_cases import Cases

MODULES = (schedules,)
DAY = date(2026, 12, 5)


def _default(s: Session, host: uuid.UUID) -> uuid.UUID:
    return s.scalars(
        select(AvailabilitySchedule.id).where(
            AvailabilitySchedule.admin_id == host, AvailabilitySchedule.is_default
        )
    ).one()


def _extra(s: Session, o: uuid.UUID, host: uuid.UUID) -> uuid.UUID:
    return schedules.create_schedule(
        s, Actor.system(o), host, name="Evenings", timezone="Europe/Oslo"
    ).id


def _override(s: Session, o: uuid.UUID, host: uuid.UUID) -> uuid.UUID:
    schedule = _default(s, host)
    schedules.set_date_override(s, Actor.system(o), schedule, DAY, None)
    return schedule


def _time_off(s: Session, o: uuid.UUID, host: uuid.UUID) -> uuid.UUID:
    return schedules.create_time_off(
        s, Actor.system(o), host, starts=datetime(2026, 12, 7, 9), ends=datetime(2026, 12, 8, 17)
    ).id


CASES: Cases = {
    "create_schedule": ("schedule.created", lambda s, o, w: _extra(s, o, w["host"])),
    "update_schedule": (
        "schedule.updated",
        lambda s, o, w: schedules.update_schedule(
            s, Actor.system(o), _default(s, w["host"]), name="Office hours"
        ),
    ),
    "delete_schedule": (
        "schedule.deleted",
        lambda s, o, w: schedules.delete_schedule(s, Actor.system(o), _extra(s, o, w["host"])),
    ),
    "set_weekly_hours": (
        "schedule.hours_set",
        lambda s, o, w: schedules.set_weekly_hours(
            s, Actor.system(o), _default(s, w["host"]), {0: [(time(8), time(12))]}
        ),
    ),
    "set_date_override": ("schedule.override_set", lambda s, o, w: _override(s, o, w["host"])),
    "delete_date_override": (
        "schedule.override_deleted",
        lambda s, o, w: schedules.delete_date_override(
            s, Actor.system(o), _override(s, o, w["host"]), DAY
        ),
    ),
    "create_time_off": ("time_off.created", lambda s, o, w: _time_off(s, o, w["host"])),
    "delete_time_off": (
        "time_off.deleted",
        lambda s, o, w: schedules.delete_time_off(s, Actor.system(o), _time_off(s, o, w["host"])),
    ),
}
