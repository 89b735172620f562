"""Every write through the services leaves an audit row, in the same transaction."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import select

import scheduling.access as access
import scheduling.booking as booking
from scheduling.access import Actor
from scheduling.booking import get_event
from scheduling.db import tenant_session
from scheduling.models import AuditLog
from tests.access import audit_cases
from tests.access.audit_cases import Cases
from tests.access.audit_cases.access_booking import MONDAY, NOW, _book, request
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, make_org

WRITE_VERBS = (
    "create_",
    "update_",
    "delete_",
    "assign_",
    "cancel_",
    "reschedule_",
    "reassign_",
    "approve_",
    "decline_",
    "revoke_",
    "set_",
    "add_",
    "remove_",
    "duplicate_",
    "deactivate_",
    "reset_",
    "purge_",
    "complete_",
    "authenticate",
    "mark_",
)


def _areas() -> list[ModuleType]:
    return [
        importlib.import_module(f"{audit_cases.__name__}.{info.name}")
        for info in pkgutil.iter_modules(audit_cases.__path__)
    ]


CASES: Cases = {name: case for area in _areas() for name, case in area.CASES.items()}


def service_writes() -> set[str]:
    """Public functions of the service packages whose names say they change data."""
    names = set()
    for module in (m for area in _areas() for m in area.MODULES):
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
