"""Every write through the services leaves an audit row, in the same transaction."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import scheduling.access as access
import scheduling.booking as booking
from scheduling.access import Actor
from scheduling.booking import BookingRequest, get_event
from scheduling.db import tenant_session
from scheduling.models import Attendance, AuditLog, Role
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, make_org

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 15, tzinfo=UTC)
WRITE_VERBS = (
    "create_",
    "update_",
    "delete_",
    "assign_",
    "cancel_",
    "reschedule_",
    "approve_",
    "decline_",
    "revoke_",
    "set_",
    "authenticate",
    "mark_",
)


def request(email: str, start: datetime = MONDAY) -> BookingRequest:
    return BookingRequest(start=start, name="Sam", email=email, timezone="UTC")


def _book(s: Session, org: uuid.UUID, slug: str, email: str, start: datetime = MONDAY) -> uuid.UUID:
    event = get_event(s, slug=slug)
    return booking.create_booking(s, org, event, request(email, start), now=NOW).booking.id


def _custom_role(s: Session, org: uuid.UUID) -> uuid.UUID:
    return access.create_role(s, Actor.system(org), "Temp", {"events.read"}, "own").id


CASES: dict[str, tuple[str, Callable[[Session, uuid.UUID, dict[str, Any]], Any]]] = {
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
}


def service_writes() -> set[str]:
    """Public functions of the service packages whose names say they change data."""
    names = set()
    for module in (access, booking):
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and name.startswith(WRITE_VERBS):
                names.add(name)
    return names


def test_every_service_write_has_an_audit_case() -> None:
    assert service_writes() == set(CASES)


@pytest.fixture
def world(db: TestDatabase) -> tuple[uuid.UUID, dict[str, Any]]:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Ada Host", "America/New_York")
        access.ensure_builtin_roles(s, org)
        access.set_password(s, Actor.system(org), host.id, "a long enough secret")
        add_event(s, org, [host], "call")
        add_event(s, org, [host], "vetted", require_approval=True)
    with tenant_session(db.app_engine, org) as s:
        booked = _book(s, org, "call", "sam@x.test")
        pending = booking.create_booking(
            s,
            org,
            get_event(s, slug="vetted"),
            request("pat@x.test", MONDAY.replace(hour=19)),
            now=NOW,
        ).booking.id
        s.execute(AuditLog.__table__.delete())
    return org, {"host": host.id, "booked": booked, "pending": pending}


@pytest.mark.parametrize("name", sorted(CASES))
def test_write_leaves_an_audit_row_that_rolls_back_with_it(
    db: TestDatabase, world: tuple[uuid.UUID, dict[str, Any]], name: str
) -> None:
    org, ids = world
    action, write = CASES[name]
    with pytest.raises(RuntimeError, match="undo"), tenant_session(db.app_engine, org) as s:
        write(s, org, ids)
        s.flush()
        assert action in s.scalars(select(AuditLog.action)).all()
        raise RuntimeError("undo")
    with tenant_session(db.app_engine, org) as s:
        assert s.scalars(select(AuditLog.action)).all() == []  # gone with the write
        write(s, org, ids)
    with tenant_session(db.app_engine, org) as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == action)).all()
    assert len(rows) == 1
    assert rows[0].actor_label
