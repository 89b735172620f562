"""Role x action: the service layer allows and refuses, whatever the UI shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

import pytest
from sqlalchemy import select

from scheduling.access import (
    Actor,
    NotAllowed,
    RoleError,
    actor_for,
    assign_role,
    create_account,
    create_role,
    delete_role,
    ensure_builtin_roles,
    update_role,
)
from scheduling.booking import BookingRequest, approve_booking, cancel_booking, create_booking
from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    AvailabilityRule,
    AvailabilitySchedule,
    Role,
    Team,
    TeamMember,
)
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, make_org

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 15, tzinfo=UTC)  # 10:00 in New York


@dataclass
class Office:
    db: TestDatabase
    org: uuid.UUID
    ids: dict[str, uuid.UUID]  # me, mate, stranger -> admin id
    pending: dict[str, uuid.UUID]  # whose booking -> booking id

    def actor(self, role: str) -> Actor:
        """`me`, holding the built-in `role`."""
        with tenant_session(self.db.app_engine, self.org) as s:
            roles = ensure_builtin_roles(s, self.org)
            me = s.get(Admin, (self.org, self.ids["me"]))
            assert me is not None
            me.role_id = roles[role].id
            s.flush()
            return actor_for(s, self.ids["me"])


@pytest.fixture
def office(db: TestDatabase) -> Office:
    org = make_org(db)
    ids, pending = {}, {}
    with tenant_session(db.app_engine, org) as s:
        team = Team(org_id=org, id=uuid.uuid4(), name="Tutors", slug="tutors")
        s.add(team)
        for who in ("me", "mate", "stranger"):
            host = add_host(s, org, f"{who.title()} Host", "America/New_York")
            ids[who] = host.id
            if who != "stranger":
                s.add(TeamMember(org_id=org, team_id=team.id, admin_id=host.id))
            event = add_event(s, org, [host], f"{who}-call", require_approval=True)
            result = create_booking(
                s,
                org,
                event,
                BookingRequest(start=MONDAY, name="Sam", email=f"sam-{who}@x.test", timezone="UTC"),
                now=NOW,
            )
            pending[who] = result.booking.id
    return Office(db, org, ids, pending)


def attempt(office: Office, role: str, action: str) -> str:
    """Run `action` as `me` holding `role`; 'ok' or 'denied'."""
    actor = office.actor(role)
    try:
        with tenant_session(office.db.app_engine, office.org) as s:
            ACTIONS[action](s, actor, office)
    except NotAllowed:
        return "denied"
    return "ok"


def _builtin(s: Any, name: str) -> uuid.UUID:
    return s.scalar(select(Role.id).where(Role.name == name))


ACTIONS = {
    "approve own": lambda s, a, o: approve_booking(s, o.pending["me"], now=NOW, actor=a),
    "approve teammate's": lambda s, a, o: approve_booking(s, o.pending["mate"], now=NOW, actor=a),
    "approve stranger's": lambda s, a, o: approve_booking(
        s, o.pending["stranger"], now=NOW, actor=a
    ),
    "cancel stranger's": lambda s, a, o: cancel_booking(s, o.pending["stranger"], now=NOW, actor=a),
    "create role": lambda s, a, o: create_role(s, a, "Coordinator", {"events.read"}, "own"),
    "make teammate a member": lambda s, a, o: assign_role(
        s, a, o.ids["mate"], _builtin(s, "member")
    ),
    "make stranger an admin": lambda s, a, o: assign_role(
        s, a, o.ids["stranger"], _builtin(s, "admin")
    ),
    "invite someone": lambda s, a, o: create_account(
        s, a, name="New Person", email="new@acme.test", timezone="UTC", role="member"
    ),
}

EXPECTED = {  # role -> the actions it may take
    "super_admin": set(ACTIONS),
    "admin": set(ACTIONS),
    "manager": {"approve own", "approve teammate's", "make teammate a member", "invite someone"},
    "member": {"approve own"},
    "viewer": set(),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_by_action_matrix(office: Office, role: str) -> None:
    outcome = {action: attempt(office, role, action) for action in ACTIONS}
    assert outcome == {a: "ok" if a in EXPECTED[role] else "denied" for a in ACTIONS}


def test_not_allowed_says_what(office: Office) -> None:
    actor = office.actor("viewer")
    with (
        tenant_session(office.db.app_engine, office.org) as s,
        pytest.raises(NotAllowed, match=r"You are not allowed to approve bookings\."),
    ):
        approve_booking(s, office.pending["me"], now=NOW, actor=actor)


def test_attendees_cannot_approve_even_their_own_booking(office: Office) -> None:
    actor = Actor.attendee(office.org, "sam-me@x.test", booking_id=office.pending["me"])
    with tenant_session(office.db.app_engine, office.org) as s, pytest.raises(NotAllowed):
        approve_booking(s, office.pending["me"], now=NOW, actor=actor)


def test_built_in_roles_are_fixed_and_custom_ones_come_and_go(office: Office) -> None:
    admin = Actor.system(office.org)
    with tenant_session(office.db.app_engine, office.org) as s:
        builtins = ensure_builtin_roles(s, office.org)
        assert sorted(builtins) == ["admin", "manager", "member", "super_admin", "viewer"]
        with pytest.raises(RoleError, match="Built-in roles cannot be deleted"):
            delete_role(s, admin, builtins["viewer"].id)
        with pytest.raises(RoleError, match="cannot be changed"):
            update_role(s, admin, builtins["viewer"].id, name="Reader")
        custom = create_role(s, admin, "Coordinator", {"events.read", "bookings.read"}, "team")
        with pytest.raises(RoleError, match="exists already"):
            create_role(s, admin, "coordinator", set(), "own")
        with pytest.raises(RoleError, match="Unknown permission"):
            create_role(s, admin, "Odd", {"rockets.launch"}, "own")
        assign_role(s, admin, office.ids["mate"], custom.id)
        with pytest.raises(RoleError, match="still hold this role"):
            delete_role(s, admin, custom.id)
        update_role(s, admin, custom.id, granted={"events.read"}, scope="own")
        assert custom.permissions["bookings"]["read"] is False
        assign_role(s, admin, office.ids["mate"], builtins["member"].id)
        delete_role(s, admin, custom.id)
        assert s.get(Role, (office.org, custom.id)) is None


def test_invited_person_gets_a_role_and_default_hours(office: Office) -> None:
    with tenant_session(office.db.app_engine, office.org) as s:
        person = create_account(
            s,
            Actor.system(office.org),
            name="Ina Vite",
            email="Ina@Acme.test",
            timezone="Europe/Oslo",
            role="member",
        )
        schedule = s.scalars(
            select(AvailabilitySchedule).where(AvailabilitySchedule.admin_id == person.id)
        ).one()
        rules = s.execute(
            select(AvailabilityRule.weekday, AvailabilityRule.start_time, AvailabilityRule.end_time)
            .where(AvailabilityRule.schedule_id == schedule.id)
            .order_by(AvailabilityRule.weekday)
        ).all()
        role = s.scalar(select(Role.name).where(Role.id == person.role_id))
    assert (person.email, schedule.timezone, role) == ("ina@acme.test", "Europe/Oslo", "member")
    assert [tuple(r) for r in rules] == [(d, time(9), time(17)) for d in range(5)]
    with (
        tenant_session(office.db.app_engine, office.org) as s,
        pytest.raises(RoleError, match="Unknown role 'boss'"),
    ):
        create_account(
            s, Actor.system(office.org), name="X", email="x@acme.test", timezone="UTC", role="boss"
        )
