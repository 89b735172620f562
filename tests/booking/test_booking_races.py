"""Races against real Postgres: many concurrent attendees, one slot, never two bookings."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from scheduling.booking import BookingRequest, SlotTaken, create_booking, get_event
from scheduling.db import tenant_session
from scheduling.db.engine import make_engine
from scheduling.models import MeetingType
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_session, make_org

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
SLOT = datetime(2026, 11, 30, 10, tzinfo=NY)


@pytest.fixture
def wide_engine(db: TestDatabase) -> Iterator[Engine]:
    engine = make_engine(db.app_url, pool_size=50, max_overflow=0)
    yield engine
    engine.dispose()


def race(engine: Engine, org: uuid.UUID, attempts: list[tuple[uuid.UUID, str]]) -> Counter[str]:
    """Book concurrently, released together by a barrier; count the outcomes."""
    barrier = threading.Barrier(len(attempts))

    def attempt(event_id: uuid.UUID, email: str) -> str:
        barrier.wait()
        try:
            with tenant_session(engine, org) as s:
                create_booking(
                    s,
                    org,
                    get_event(s, event_id=event_id),
                    BookingRequest(start=SLOT, name="Racer", email=email, timezone="UTC"),
                    now=NOW,
                )
        except SlotTaken:
            return "taken"
        return "booked"

    with ThreadPoolExecutor(len(attempts)) as pool:
        outcomes = list(pool.map(lambda a: attempt(*a), attempts))
    return Counter(outcomes)


def live_bookings(db: TestDatabase, org: uuid.UUID) -> int:
    with tenant_session(db.app_engine, org) as s:
        return int(
            s.scalar(
                text(
                    "SELECT count(*) FROM oh_bookings "
                    "WHERE status IN ('confirmed', 'pending_approval')"
                )
            )
            or 0
        )


def test_fifty_attendees_one_slot_one_booking(db: TestDatabase, wide_engine: Engine) -> None:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Solo Host", "America/New_York")
        event = add_event(s, org, [host], "solo").id
    outcome = race(wide_engine, org, [(event, f"r{i}@example.com") for i in range(50)])
    assert outcome == Counter(booked=1, taken=49)
    assert live_bookings(db, org) == 1


def test_thirty_attendees_group_of_five(db: TestDatabase, wide_engine: Engine) -> None:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Group Host", "America/New_York")
        event = add_event(
            s, org, [host], "group", MeetingType.GROUP, capacity=5, duration_minutes=60
        )
        add_session(s, org, event, host, SLOT, SLOT.replace(hour=11), capacity=5)
        event_id = event.id
    outcome = race(wide_engine, org, [(event_id, f"g{i}@example.com") for i in range(30)])
    assert outcome == Counter(booked=5, taken=25)
    assert live_bookings(db, org) == 5


def test_collective_and_one_on_one_sharing_a_host(db: TestDatabase, wide_engine: Engine) -> None:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ann = add_host(s, org, "Ann Host", "America/New_York")
        ben = add_host(s, org, "Ben Host", "America/New_York")
        panel = add_event(s, org, [ann, ben], "together", MeetingType.COLLECTIVE).id
        solo = add_event(s, org, [ben], "ben-solo").id
    attempts = [(panel if i % 2 else solo, f"c{i}@example.com") for i in range(50)]
    outcome = race(wide_engine, org, attempts)
    assert outcome == Counter(booked=1, taken=49)
    assert live_bookings(db, org) == 1
    with tenant_session(db.app_engine, org) as s:
        winner = s.scalar(text("SELECT event_id FROM oh_bookings"))
        held = s.scalar(text("SELECT count(*) FROM oh_host_occupancy"))
    assert held == (2 if winner == panel else 1)  # a collective booking holds both hosts


def race_requests(
    engine: Engine, org: uuid.UUID, attempts: list[tuple[uuid.UUID, BookingRequest]]
) -> list[str]:
    """Book concurrently (any times, any keys); each outcome is the booking id or "taken"."""
    barrier = threading.Barrier(len(attempts))

    def attempt(event_id: uuid.UUID, request: BookingRequest) -> str:
        barrier.wait()
        try:
            with tenant_session(engine, org) as s:
                result = create_booking(s, org, get_event(s, event_id=event_id), request, now=NOW)
                return str(result.booking.id)
        except SlotTaken:
            return "taken"

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(lambda a: attempt(*a), attempts))


def monday_at(hour: int, minute: int = 0) -> datetime:
    return SLOT.replace(hour=hour, minute=minute)


def test_round_robin_race_gives_each_free_host_one_booking(
    db: TestDatabase, wide_engine: Engine
) -> None:
    """Without locks, racers may all pick the first host; the losers move on to the next."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        hosts = [add_host(s, org, f"Rr Host {n}", "America/New_York") for n in range(3)]
        event = add_event(s, org, hosts, "rr", MeetingType.ROUND_ROBIN).id
    outcome = race(wide_engine, org, [(event, f"rr{i}@example.com") for i in range(30)])
    assert outcome == Counter(booked=3, taken=27)
    with tenant_session(db.app_engine, org) as s:
        per_host = s.execute(
            text("SELECT admin_id, count(*) FROM oh_booking_hosts GROUP BY admin_id")
        ).all()
    assert sorted(n for _, n in per_host) == [1, 1, 1]
    assert {h for h, _ in per_host} == {h.id for h in hosts}


@pytest.mark.parametrize(
    ("host_limits", "event_limits", "allowed"),
    [
        ({"per_day": 3}, {}, 3),
        ({"per_week": 2}, {}, 2),
        ({}, {"max_daily_bookings": 4}, 4),
        ({}, {"max_weekly_bookings": 1}, 1),
    ],
)
def test_limits_hold_when_attendees_race_for_different_times(
    db: TestDatabase,
    wide_engine: Engine,
    host_limits: dict[str, int],
    event_limits: dict[str, int],
    allowed: int,
) -> None:
    """Limits count other bookings, so they are the one rule still checked under locks."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Limited Host", "America/New_York", **host_limits)
        event = add_event(s, org, [host], "limited", **event_limits).id
    attempts = [
        (
            event,
            BookingRequest(
                start=monday_at(9 + i // 2, 30 * (i % 2)),
                name="Racer",
                email=f"l{i}@example.com",
                timezone="UTC",
            ),
        )
        for i in range(16)
    ]
    outcome = race_requests(wide_engine, org, attempts)
    assert outcome.count("taken") == 16 - allowed
    assert live_bookings(db, org) == allowed


def test_a_double_submit_books_once_and_both_get_the_booking(
    db: TestDatabase, wide_engine: Engine
) -> None:
    """The same request sent ten times at once (same idempotency key): one booking."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Twice Host", "America/New_York")
        event = add_event(s, org, [host], "twice").id
    request = BookingRequest(start=SLOT, name="Clicker", email="click@example.com", timezone="UTC")
    outcome = race_requests(wide_engine, org, [(event, request)] * 10)
    assert len(set(outcome)) == 1
    assert outcome[0] != "taken"
    assert live_bookings(db, org) == 1
