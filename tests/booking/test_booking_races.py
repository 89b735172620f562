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
