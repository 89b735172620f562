"""An organisation with one person per built-in role, a team (manager + member) and a host
outside it; every test of the catalogue starts here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from scheduling.access import Actor, actor_for, create_account
from scheduling.catalog import create_event
from scheduling.db import tenant_session
from scheduling.models import AuditLog, Event
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff
from tests.factories import add_team


@dataclass
class Shop:
    """Staff (super_admin, admin, manager, member, viewer) plus "outsider", another member
    who is in no team; the manager and the member share the team "Tutors"."""

    staff: Staff
    outsider: uuid.UUID

    @property
    def db(self) -> TestDatabase:
        return self.staff.db

    @property
    def org(self) -> uuid.UUID:
        return self.staff.org

    def id(self, who: str) -> uuid.UUID:
        return self.outsider if who == "outsider" else self.staff.people[who]

    def actor(self, who: str) -> Actor:
        with tenant_session(self.db.app_engine, self.org) as s:
            return actor_for(s, self.id(who))

    def system(self) -> Actor:
        return Actor.system(self.org)

    def event(self, hosts: tuple[str, ...] = ("member",), **settings: Any) -> uuid.UUID:
        """An event made by the system, hosted by the named people."""
        settings = {"title": "Office chat", "slug": "office-chat"} | settings
        with tenant_session(self.db.app_engine, self.org) as s:
            event = create_event(s, self.system(), hosts=[self.id(h) for h in hosts], **settings)
            s.execute(AuditLog.__table__.delete())
        return event.id

    def load(self, event_id: uuid.UUID) -> Event:
        with tenant_session(self.db.app_engine, self.org) as s:
            return s.scalars(select(Event).where(Event.id == event_id)).one()

    def audit(self, action: str | None = None) -> list[AuditLog]:
        with tenant_session(self.db.app_engine, self.org) as s:
            stmt = select(AuditLog).order_by(AuditLog.created_at)
            if action:
                stmt = stmt.where(AuditLog.action == action)
            return list(s.scalars(stmt))


@pytest.fixture
def shop(db: TestDatabase) -> Shop:
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        outsider = create_account(
            s,
            Actor.system(staff.org),
            name="Olive Outsider",
            email="olive@acme.test",
            timezone="Europe/Oslo",
            role="member",
        ).id
        add_team(s, staff.org, [staff.people["manager"], staff.people["member"]])
        s.execute(AuditLog.__table__.delete())
    return Shop(staff, outsider)
