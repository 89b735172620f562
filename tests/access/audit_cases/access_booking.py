"""Audit cases for the access and booking services."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

import scheduling.access as access
import scheduling.booking as booking
from scheduling.access import Actor
from scheduling.booking import BookingRequest, get_event
from scheduling.models import Attendance, Role
from tests.access.audit_cases import Cases

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 15, tzinfo=UTC)
MODULES = (access, booking)


def request(email: str, start: datetime = MONDAY) -> BookingRequest:
    return BookingRequest(start=start, name="Sam", email=email, timezone="UTC")


def _book(s: Session, org: uuid.UUID, slug: str, email: str, start: datetime = MONDAY) -> uuid.UUID:
    event = get_event(s, slug=slug)
    return booking.create_booking(s, org, event, request(email, start), now=NOW).booking.id


def _custom_role(s: Session, org: uuid.UUID) -> uuid.UUID:
    return access.create_role(s, Actor.system(org), "Temp", {"events.read"}, "own").id


def _console_session(s: Session, org: uuid.UUID, w: dict[str, uuid.UUID]) -> uuid.UUID:
    host = access.actor_for(s, w["host"])
    return access.create_console_session(s, host, now=NOW, lifetime=timedelta(hours=8))


CASES: Cases = {
    "create_booking": (
        "booking.created",
        lambda s, o, w: _book(s, o, "call", "a@x.test", MONDAY.replace(hour=16)),
    ),
    "cancel_booking": (
        "booking.cancelled",
        lambda s, o, w: booking.cancel_booking(s, w["booked"], now=NOW, actor="sam@x.test"),
    ),
    "reschedule_booking": (
        "booking.rescheduled",
        lambda s, o, w: booking.reschedule_booking(
            s, w["booked"], MONDAY.replace(hour=17), now=NOW, actor="sam@x.test"
        ),
    ),
    "approve_booking": (
        "booking.approved",
        lambda s, o, w: booking.approve_booking(s, w["pending"], now=NOW, actor=Actor.system(o)),
    ),
    "decline_booking": (
        "booking.declined",
        lambda s, o, w: booking.decline_booking(s, w["pending"], now=NOW, actor=Actor.system(o)),
    ),
    "revoke_token": (
        "booking.token_revoked",
        lambda s, o, w: booking.revoke_token(s, w["booked"], now=NOW, actor=Actor.system(o)),
    ),
    "mark_attendance": (
        "booking.attendance_marked",
        lambda s, o, w: booking.mark_attendance(
            s, Actor.system(o), w["booked"], Attendance.NO_SHOW, now=MONDAY.replace(hour=18)
        ),
    ),
    "create_role": ("role.created", lambda s, o, w: _custom_role(s, o)),
    "update_role": (
        "role.updated",
        lambda s, o, w: access.update_role(s, Actor.system(o), _custom_role(s, o), name="Renamed"),
    ),
    "delete_role": (
        "role.deleted",
        lambda s, o, w: access.delete_role(s, Actor.system(o), _custom_role(s, o)),
    ),
    "assign_role": (
        "role.assigned",
        lambda s, o, w: access.assign_role(
            s, Actor.system(o), w["host"], s.scalar(select(Role.id).where(Role.name == "viewer"))
        ),
    ),
    "create_account": (
        "admin.created",
        lambda s, o, w: access.create_account(
            s,
            Actor.system(o),
            name="New",
            email="new@x.test",
            timezone="UTC",
            role="member",
            password="correct horse battery",
        ),
    ),
    "update_person": (
        "admin.updated",
        lambda s, o, w: access.update_person(
            s, Actor.system(o), w["host"], timezone="Europe/Oslo", default_buffer_after=5
        ),
    ),
    "set_password": (
        "account.password_changed",
        lambda s, o, w: access.set_password(s, Actor.system(o), w["host"], "another long password"),
    ),
    "authenticate": (
        "account.signed_in",
        lambda s, o, w: access.authenticate(
            s, "ada-host@acme.test", "a long enough secret", now=NOW
        ),
    ),
    "create_console_session": (
        "session.created",
        lambda s, o, w: _console_session(s, o, w),
    ),
    "revoke_console_session": (
        "session.revoked",
        lambda s, o, w: access.revoke_console_session(
            s, Actor.system(o), _console_session(s, o, w), now=NOW
        ),
    ),
}
