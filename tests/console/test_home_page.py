"""The Home page (the console's default) under every built-in role, with AppTest."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select, text
from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.booking import BookingRequest, approve_booking, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin, AuditLog, Booking, BookingStatus
from tests.conftest import ROOT, TestDatabase
from tests.console.harness import ROLES, Staff, make_staff
from tests.factories import add_event

HOME = str(ROOT / "admin_streamlit" / "Home.py")


def weekday_at(days_ahead: int, hour: int) -> datetime:
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass
class Desk:
    staff: Staff
    pending: uuid.UUID
    confirmed: uuid.UUID

    def status(self, booking_id: uuid.UUID) -> BookingStatus:
        with tenant_session(self.staff.db.app_engine, self.staff.org) as s:
            return s.get_one(Booking, (self.staff.org, booking_id)).status

    def audit(self) -> list[str]:
        with tenant_session(self.staff.db.app_engine, self.staff.org) as s:
            return list(s.scalars(select(AuditLog.action).where(AuditLog.action.like("booking.%"))))


@pytest.fixture
def desk(db: TestDatabase) -> Desk:
    staff = make_staff(db)
    now = datetime.now(UTC)
    with tenant_session(db.app_engine, staff.org) as s:
        member = s.get_one(Admin, (staff.org, staff.people["member"]))
        vetted = add_event(s, staff.org, [member], "vetted", require_approval=True)
        call = add_event(s, staff.org, [member], "call")
        pending = create_booking(
            s,
            staff.org,
            vetted,
            BookingRequest(
                start=weekday_at(2, 10), name="Pat Pending", email="pat@x.test", timezone="UTC"
            ),
            now=now,
        ).booking.id
        confirmed = create_booking(
            s,
            staff.org,
            call,
            BookingRequest(
                start=weekday_at(3, 11), name="Cy Confirmed", email="cy@x.test", timezone="UTC"
            ),
            now=now,
        ).booking.id
        s.execute(delete(AuditLog))
    return Desk(staff, pending, confirmed)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_its_sessions_numbers_and_the_approvals_it_may_decide(
    desk: Desk, role: str
) -> None:
    at = desk.staff.page("home", role)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    reaches_member = role in ("super_admin", "admin", "viewer", "member")
    assert metrics["Booked today"] == ("2" if reaches_member else "0")
    assert set(metrics) == {
        "Booked today",
        "Meetings today",
        "Cancelled today",
        "No-shows, last 7 days",
    }
    approve_keys = [b.key for b in at.button if b.key and b.key.startswith("home_approve_")]
    if role == "member":
        assert at.dataframe[0].value["attendee"].to_list() == ["Pat Pending", "Cy Confirmed"]
    else:
        assert at.info[0].value == "You have no upcoming sessions."
    if role in ("super_admin", "admin", "member"):
        assert approve_keys == [f"home_approve_{desk.pending}"]
    else:
        assert approve_keys == []
    if role == "viewer":
        assert "Waiting for approval" not in [h.value for h in at.subheader]
    if role == "manager":  # no team: nothing of the member's reaches them
        assert at.info[1].value == "Nothing is waiting for your approval."


def test_approving_from_home_confirms_the_booking(desk: Desk) -> None:
    at = desk.staff.page("home", "admin")
    at.button(key=f"home_approve_{desk.pending}").click().run()
    assert not at.exception
    assert at.success[0].value == "Approved: Vetted with Pat Pending."
    assert desk.status(desk.pending) is BookingStatus.CONFIRMED
    assert desk.audit() == ["booking.approved"]
    assert at.info[-1].value == "Nothing is waiting for your approval."


def test_declining_sends_the_reason(desk: Desk) -> None:
    at = desk.staff.page("home", "member")
    at.text_input(key="home_reason").input("Fully booked that week")
    at.button(key=f"home_decline_{desk.pending}").click().run()
    assert not at.exception
    with tenant_session(desk.staff.db.app_engine, desk.staff.org) as s:
        declined = s.get_one(Booking, (desk.staff.org, desk.pending))
    assert (declined.status, declined.cancellation_reason) == (
        BookingStatus.DECLINED,
        "Fully booked that week",
    )
    with desk.staff.db.owner_engine.connect() as conn:
        jobs = (
            conn.execute(
                text("SELECT args->>'kind' FROM procrastinate_jobs WHERE args->>'booking_id' = :b"),
                {"b": str(desk.pending)},
            )
            .scalars()
            .all()
        )
    assert "declined" in jobs


def test_a_stale_decline_after_an_approval_elsewhere_changes_nothing(desk: Desk) -> None:
    at = desk.staff.page("home", "admin")
    with tenant_session(desk.staff.db.app_engine, desk.staff.org) as s:
        approve_booking(s, desk.pending, now=datetime.now(UTC), actor=desk.staff.actor("member"))
    at.button(key=f"home_decline_{desk.pending}").click().run()
    assert not at.exception
    assert at.info[-1].value == "Nothing is waiting for your approval."  # re-read first
    assert desk.status(desk.pending) is BookingStatus.CONFIRMED
    assert desk.audit() == ["booking.approved"]  # the member's, and no decline


def test_home_is_the_page_everyone_lands_on(desk: Desk) -> None:
    at = AppTest.from_file(HOME, default_timeout=30)
    at.session_state[DATABASE_KEY] = desk.staff.db.app_url
    at.session_state[ACTOR_KEY] = desk.staff.actor("viewer")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Home"
