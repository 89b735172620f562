"""Console sessions: the cookie token names a row, and the row decides whether it still counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from scheduling.access import (
    Actor,
    NotAllowed,
    actor_for,
    create_console_session,
    issue_console_token,
    read_console_token,
    revoke_console_session,
    session_holder,
    update_person,
)
from scheduling.db import tenant_session
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)
EIGHT_HOURS = timedelta(hours=8)


@pytest.fixture
def staff(db: TestDatabase) -> Staff:
    return make_staff(db, ("admin", "manager", "member"))


def open_session(staff: Staff, role: str) -> uuid.UUID:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        actor = actor_for(s, staff.people[role])
        return create_console_session(s, actor, now=NOW, lifetime=EIGHT_HOURS)


def holder(staff: Staff, sid: uuid.UUID, at: datetime = NOW) -> uuid.UUID | None:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        return session_holder(s, sid, at)


def test_token_names_the_session_and_is_refused_when_forged_or_old() -> None:
    org, sid = uuid.uuid4(), uuid.uuid4()
    token = issue_console_token("key", org, sid)
    assert read_console_token("key", token, 3600) == (org, sid)
    assert read_console_token("other key", token, 3600) is None
    assert read_console_token("key", token + "x", 3600) is None
    assert read_console_token("key", token, -1) is None  # past its age
    # A token of the previous format (it named the account, not a session) no longer verifies.
    old = URLSafeTimedSerializer("key", salt="liveschool-console-session").dumps([str(org), "x"])
    assert read_console_token("key", old, 3600) is None


def test_a_session_lives_until_it_expires(staff: Staff) -> None:
    sid = open_session(staff, "member")
    assert holder(staff, sid) == staff.people["member"]
    assert holder(staff, sid, NOW + EIGHT_HOURS - timedelta(seconds=1)) == staff.people["member"]
    assert holder(staff, sid, NOW + EIGHT_HOURS) is None


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(staff: Staff) -> None:
    sid = open_session(staff, "member")
    with tenant_session(staff.db.app_engine, staff.org) as s:
        me = actor_for(s, staff.people["member"])
        assert revoke_console_session(s, me, sid, now=NOW) is True
        assert revoke_console_session(s, me, sid, now=NOW) is False  # ended already
    assert holder(staff, sid) is None


def test_deactivating_a_person_ends_their_open_sessions(staff: Staff) -> None:
    sid = open_session(staff, "member")
    with tenant_session(staff.db.app_engine, staff.org) as s:
        update_person(s, Actor.system(staff.org), staff.people["member"], is_active=False)
    assert holder(staff, sid) is None


def test_only_people_managers_end_someone_else_s_session(staff: Staff) -> None:
    sid = open_session(staff, "admin")
    with tenant_session(staff.db.app_engine, staff.org) as s:
        member = actor_for(s, staff.people["member"])
        with pytest.raises(NotAllowed, match="end other people's sessions"):
            revoke_console_session(s, member, sid, now=NOW)
    assert holder(staff, sid) == staff.people["admin"]
    member_sid = open_session(staff, "member")
    with tenant_session(staff.db.app_engine, staff.org) as s:
        admin = actor_for(s, staff.people["admin"])
        assert revoke_console_session(s, admin, member_sid, now=NOW) is True
    assert holder(staff, member_sid) is None
