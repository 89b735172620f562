"""Group sessions: added one by one or as a weekly run, offered by the engine, deleted.

NOW is Friday 28 February 2031, 12:00 UTC; US clocks move forward on Sunday 9 March 2031.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from scheduling.booking import BookingRequest, cancel_booking, create_booking, get_event, list_slots
from scheduling.catalog import (
    InvalidEvent,
    add_session,
    add_weekly_sessions,
    delete_session,
    list_sessions,
)
from scheduling.db import tenant_session
from scheduling.models import GroupSession
from tests.catalog.conftest import Shop

NOW = datetime(2031, 2, 28, 12, tzinfo=UTC)
MONDAY_18 = datetime(2031, 3, 3, 18, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def group(shop: Shop, **settings: object) -> uuid.UUID:
    return shop.event(
        title="Study hall",
        slug="study-hall",
        meeting_type="group",
        capacity=3,
        duration_minutes=60,
        min_notice_hours=0,
        **settings,
    )


def add(shop: Shop, event_id: uuid.UUID, start: datetime = MONDAY_18, **kw: object) -> uuid.UUID:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        return add_session(s, shop.actor("member"), event_id, starts_at=start, now=NOW, **kw).id  # type: ignore[arg-type]


def book(shop: Shop, start: datetime, email: str, guests: tuple[str, ...] = ()) -> uuid.UUID:
    with tenant_session(shop.db.app_engine, shop.org) as s:
        return create_booking(
            s,
            shop.org,
            get_event(s, slug="study-hall"),
            BookingRequest(start=start, name="Sam", email=email, timezone="UTC", guests=guests),
            now=NOW,
        ).booking.id


def test_a_session_outside_working_hours_is_offered_and_booked_to_capacity(shop: Shop) -> None:
    event_id = group(shop, allow_guests=True, guest_limit=2)
    session_id = add(shop, event_id, capacity=4)  # 18:00 UTC: after the host's 09-17
    with tenant_session(shop.db.app_engine, shop.org) as s:
        slots = list_slots(
            s, get_event(s, slug="study-hall"), NOW, NOW + timedelta(days=7), now=NOW
        )
    assert [(x.start, x.seats_remaining, x.session_id) for x in slots] == [
        (MONDAY_18, 4, session_id)
    ]
    book(shop, MONDAY_18, "a@x.test", guests=("b@x.test", "c@x.test"))
    with tenant_session(shop.db.app_engine, shop.org) as s:
        (row,) = list_sessions(s, event_id)
    assert (row.starts_at, row.ends_at, row.capacity, row.seats_taken, row.bookings) == (
        MONDAY_18,
        MONDAY_18 + timedelta(hours=1),
        4,
        3,
        1,
    )
    (entry,) = shop.audit("session.created")
    assert entry.entity_id == session_id
    assert entry.new_values == {
        "event_id": str(event_id),
        "starts_at": "2031-03-03T18:00:00+00:00",
        "ends_at": "2031-03-03T19:00:00+00:00",
        "capacity": 4,
    }


@pytest.mark.parametrize(
    ("start", "kw", "errors"),
    [
        (NOW - timedelta(hours=1), {}, {"starts_at": "Choose a start in the future."}),
        (
            MONDAY_18 + timedelta(minutes=30),
            {},
            {"starts_at": "Overlaps the session at 2031-03-03 18:00 UTC."},
        ),
        (
            MONDAY_18 + timedelta(days=1),
            {"capacity": 0},
            {"capacity": "Capacity is a number of seats, at least 1."},
        ),
        (
            MONDAY_18 + timedelta(days=1),
            {"duration_minutes": 0},
            {"duration_minutes": "The duration is minutes, from 1 to 1440."},
        ),
    ],
)  # fmt: skip
def test_bad_sessions_are_refused(
    shop: Shop, start: datetime, kw: dict, errors: dict[str, str]
) -> None:
    event_id = group(shop)
    add(shop, event_id)
    with pytest.raises(InvalidEvent) as refused:
        add(shop, event_id, start, **kw)
    assert refused.value.errors == errors
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert len(s.scalars(select(GroupSession)).all()) == 1


def test_sessions_belong_to_group_events_only(shop: Shop) -> None:
    event_id = shop.event()
    with pytest.raises(InvalidEvent) as refused:
        add(shop, event_id)
    assert refused.value.errors == {
        "meeting_type": "Sessions belong to group events; change the meeting type to group first."
    }


def test_a_weekly_run_skips_the_wall_time_clocks_jump_over(shop: Shop) -> None:
    event_id = group(shop, display_timezone="America/New_York")
    with tenant_session(shop.db.app_engine, shop.org) as s:
        rows = add_weekly_sessions(
            s,
            shop.actor("manager"),
            event_id,
            weekdays=[6],
            start_time=time(2, 30),
            first_day=date(2031, 3, 2),
            last_day=date(2031, 3, 16),
            now=NOW,
            capacity=10,
        )
    assert [r.starts_at.astimezone(NY).isoformat() for r in rows] == [
        "2031-03-02T02:30:00-05:00",
        "2031-03-16T02:30:00-04:00",  # 9 March 02:30 does not exist in New York
    ]
    assert {r.capacity for r in rows} == {10}
    assert len(shop.audit("session.created")) == 2


def test_a_weekly_run_that_overlaps_is_refused_whole(shop: Shop) -> None:
    event_id = group(shop)
    add(shop, event_id)
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        add_weekly_sessions(
            s,
            shop.actor("member"),
            event_id,
            weekdays=[0, 2],
            start_time=time(18, 30),
            first_day=date(2031, 3, 1),
            last_day=date(2031, 3, 31),
            now=NOW,
            timezone="UTC",
        )
    assert refused.value.errors == {"first_day": "Overlaps the session at 2031-03-03 18:00 UTC."}
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert len(s.scalars(select(GroupSession)).all()) == 1


def test_deleting_a_booked_session_is_refused_until_its_bookings_are_cancelled(
    shop: Shop,
) -> None:
    event_id = group(shop)
    session_id = add(shop, event_id)
    booking_id = book(shop, MONDAY_18, "a@x.test")
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        delete_session(s, shop.actor("member"), session_id)
    assert refused.value.errors == {
        "session": "This session has 1 booking(s); cancel them on the Bookings page first, "
        "so the attendees are told."
    }
    with tenant_session(shop.db.app_engine, shop.org) as s:
        cancel_booking(s, booking_id, now=NOW, actor=shop.system())
    with tenant_session(shop.db.app_engine, shop.org) as s:
        delete_session(s, shop.actor("member"), session_id)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        row = s.scalars(select(GroupSession).where(GroupSession.id == session_id)).one()
        assert row.is_cancelled  # kept for the cancelled booking's history
        assert list_sessions(s, event_id) == []
        assert (
            list_slots(s, get_event(s, slug="study-hall"), NOW, NOW + timedelta(days=7), now=NOW)
            == []
        )
    (entry,) = shop.audit("session.deleted")
    assert entry.old_values["starts_at"] == "2031-03-03T18:00:00+00:00"


def test_a_session_nobody_booked_is_deleted(shop: Shop) -> None:
    event_id = group(shop)
    session_id = add(shop, event_id)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        delete_session(s, shop.actor("member"), session_id)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert s.scalars(select(GroupSession)).all() == []
