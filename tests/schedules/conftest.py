"""An office for availability tests: one person per built-in role, a team, a stranger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from scheduling.access import Actor
from scheduling.db import tenant_session
from scheduling.models import AuditLog, AvailabilitySchedule
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff
from tests.factories import add_host, add_team


@dataclass
class Office:
    """`staff` (one person per role, zone UTC); the manager and the member share a team;
    "stranger" (America/New_York) is in no team."""

    db: TestDatabase
    staff: Staff
    stranger: uuid.UUID

    @property
    def org(self) -> uuid.UUID:
        return self.staff.org

    def id(self, who: str) -> uuid.UUID:
        return self.stranger if who == "stranger" else self.staff.people[who]

    def actor(self, role: str) -> Actor:
        return self.staff.actor(role)

    def default_schedule(self, who: str) -> uuid.UUID:
        with tenant_session(self.db.app_engine, self.org) as s:
            return s.scalars(
                select(AvailabilitySchedule.id).where(
                    AvailabilitySchedule.admin_id == self.id(who),
                    AvailabilitySchedule.is_default,
                )
            ).one()

    def audit_rows(self, action: str) -> list[AuditLog]:
        with tenant_session(self.db.app_engine, self.org) as s:
            return list(
                s.scalars(
                    select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.created_at)
                )
            )

    def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call a service in its own committed transaction."""
        with tenant_session(self.db.app_engine, self.org) as s:
            return fn(s, *args, **kwargs)


@pytest.fixture
def office(db: TestDatabase) -> Office:
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        stranger = add_host(s, staff.org, "Stan Stranger", "America/New_York").id
        add_team(s, staff.org, [staff.people["manager"], staff.people["member"]])
        s.execute(AuditLog.__table__.delete())
    return Office(db, staff, stranger)
