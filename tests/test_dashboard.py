"""The home page's data: my next sessions, approvals I may decide, today in my zone.

The week, written as data: it is Monday 30 November 2026, 10:00 in Los Angeles (18:00 UTC).
The member hosts in Los Angeles; the admin in UTC, so "today" differs between them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from scheduling.access import Actor, actor_for, create_account, ensure_builtin_roles
from scheduling.booking import BookingRequest, cancel_booking, create_booking, mark_attendance
from scheduling.dashboard import HomeView, TodayNumbers, home_view
from scheduling.db import tenant_session
from scheduling.models import Admin, Attendance, Booking
from tests.conftest import TestDatabase
from tests.factories import add_event, make_org

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 30, 10, tzinfo=LA)

# name: (event slug, start, attendee email)
BOOKINGS = {
    "earlier_today": ("call", datetime(2026, 11, 30, 9, tzinfo=LA), "ann@x.test"),
    "later_today": ("call", datetime(2026, 11, 30, 16, 30, tzinfo=LA), "ben@x.test"),
    "awaiting": ("vetted", datetime(2026, 12, 1, 10, tzinfo=LA), "dee@x.test"),
    "to_cancel": ("call", datetime(2026, 12, 1, 11, tzinfo=LA), "fay@x.test"),
    "missed": ("call", datetime(2026, 11, 24, 9, tzinfo=LA), "gus@x.test"),
    "missed_long_ago": ("call", datetime(2026, 11, 20, 9, tzinfo=LA), "hal@x.test"),
    "admins": ("admin-call", datetime(2026, 12, 1, 10, tzinfo=UTC), "eve@x.test"),
}
BOOKED_TODAY = ("later_today", "awaiting")  # created an hour ago; the rest three days ago


@dataclass
class Week:
    db: TestDatabase
    org: uuid.UUID
    people: dict[str, uuid.UUID]
    bookings: dict[str, uuid.UUID]

    def view_of(self, role: str) -> HomeView:
        with tenant_session(self.db.app_engine, self.org) as s:
            return home_view(s, actor_for(s, self.people[role]), NOW)


@pytest.fixture
def week(db: TestDatabase) -> Week:
    org = make_org(db)
    system = Actor.system(org)
    people: dict[str, uuid.UUID] = {}
    bookings: dict[str, uuid.UUID] = {}
    with tenant_session(db.app_engine, org) as s:
        ensure_builtin_roles(s, org)
        for role, zone in (
            ("member", "America/Los_Angeles"),
            ("admin", "UTC"),
            ("viewer", "UTC"),
            ("manager", "UTC"),
        ):
            people[role] = create_account(
                s,
                system,
                name=f"{role.title()} Person",
                email=f"{role}@acme.test",
                timezone=zone,
                role=role,
            ).id
        member = s.get_one(Admin, (org, people["member"]))
        events = {
            "call": add_event(s, org, [member], "call"),
            "vetted": add_event(s, org, [member], "vetted", require_approval=True),
            "admin-call": add_event(
                s, org, [s.get_one(Admin, (org, people["admin"]))], "admin-call"
            ),
        }
    for name, (slug, start, who) in BOOKINGS.items():
        with tenant_session(db.app_engine, org) as s:
            request = BookingRequest(
                start=start, name=who.split("@")[0].title(), email=who, timezone="UTC"
            )
            result = create_booking(s, org, events[slug], request, now=start - timedelta(days=1))
            bookings[name] = result.booking.id
    with tenant_session(db.app_engine, org) as s:
        cancel_booking(s, bookings["to_cancel"], now=NOW, actor=system)
        for name in ("missed", "missed_long_ago"):
            mark_attendance(s, system, bookings[name], Attendance.NO_SHOW, now=NOW)
        s.execute(update(Booking).values(created_at=NOW - timedelta(days=3)))
        s.execute(
            update(Booking)
            .where(Booking.id.in_([bookings[n] for n in BOOKED_TODAY]))
            .values(created_at=NOW - timedelta(hours=1))
        )
    return Week(db, org, people, bookings)


def test_member_sees_their_sessions_and_their_los_angeles_day(week: Week) -> None:
    view = week.view_of("member")
    assert view.zone == "America/Los_Angeles"
    assert [(m.attendee_email, m.starts_at, m.status) for m in view.upcoming] == [
        ("ben@x.test", datetime(2026, 11, 30, 16, 30, tzinfo=LA), "confirmed"),
        ("dee@x.test", datetime(2026, 12, 1, 10, tzinfo=LA), "pending_approval"),
    ]
    assert view.upcoming[0].starts_at.utcoffset() == timedelta(hours=-8)  # shown in LA time
    assert [m.booking_id for m in view.pending] == [week.bookings["awaiting"]]
    assert view.may_decide
    # today in LA: 16:30 LA is already tomorrow in UTC, but it is a meeting today here
    assert view.numbers == TodayNumbers(
        booked_today=2, meetings_today=2, cancelled_today=1, no_shows_last_7_days=1
    )


def test_admin_counts_the_organisation_in_their_utc_day(week: Week) -> None:
    view = week.view_of("admin")
    assert view.zone == "UTC"
    assert [m.attendee_email for m in view.upcoming] == ["eve@x.test"]
    assert [m.attendee_email for m in view.pending] == ["dee@x.test"]
    assert view.pending[0].hosts == "Member Person"
    assert view.numbers == TodayNumbers(
        booked_today=2, meetings_today=1, cancelled_today=1, no_shows_last_7_days=1
    )


def test_viewer_reads_the_numbers_but_decides_nothing(week: Week) -> None:
    view = week.view_of("viewer")
    assert (view.upcoming, view.pending, view.may_decide) == ([], [], False)
    assert view.numbers == TodayNumbers(2, 1, 1, 1)


def test_manager_without_a_team_reaches_only_their_own_bookings(week: Week) -> None:
    view = week.view_of("manager")
    assert (view.upcoming, view.pending) == ([], [])
    assert view.numbers == TodayNumbers(0, 0, 0, 0)


def test_the_next_ten_only(week: Week, db: TestDatabase) -> None:
    with tenant_session(db.app_engine, week.org) as s:
        member = s.get_one(Admin, (week.org, week.people["member"]))
        event = add_event(s, week.org, [member], "drop-in")
        for day in range(12):
            start = datetime(2026, 12, 2, 9, tzinfo=LA) + timedelta(days=day)
            if start.weekday() < 5:
                request = BookingRequest(
                    start=start, name="X", email=f"x{day}@x.test", timezone="UTC"
                )
                create_booking(s, week.org, event, request, now=NOW)
    upcoming = week.view_of("member").upcoming
    assert len(upcoming) == 10
    assert upcoming == sorted(upcoming, key=lambda m: m.starts_at)
