"""The outbox relay on real Postgres: new bookings' messages are queued from their events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from scheduling.booking import BookingRequest, cancel_booking, create_booking, get_event
from scheduling.db import tenant_session
from scheduling.events import BookingEvent, track_event
from scheduling.models import OutboxMessage
from scheduling.outbox import (
    CLAIM_SQL,
    HANDLERS,
    MAX_ATTEMPTS,
    pending_organisations,
    relay_all,
    relay_organisation,
)
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, make_org
from tests.workers import Workers, wait_for

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 11, 30, 10, 0, tzinfo=NY)


def jobs(db: TestDatabase) -> list[tuple[str, dict[str, Any], datetime | None]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT task_name, args, scheduled_at FROM procrastinate_jobs ORDER BY id")
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def outbox(db: TestDatabase, org: uuid.UUID) -> list[tuple[str, bool, int]]:
    """(name, dispatched, attempts) of the organisation's events, sorted."""
    with tenant_session(db.app_engine, org) as s:
        rows = s.execute(
            select(OutboxMessage.name, OutboxMessage.dispatched_at, OutboxMessage.attempts)
        ).all()
    return sorted((name, at is not None, attempts) for name, at, attempts in rows)


def book(db: TestDatabase, org: uuid.UUID, slug: str, start: datetime, email: str) -> uuid.UUID:
    with tenant_session(db.app_engine, org) as s:
        request = BookingRequest(
            start=start, name="Sam Lee", email=email, timezone="Europe/Paris", guests=()
        )
        return create_booking(s, org, get_event(s, slug=slug), request, now=NOW).booking.id


@pytest.fixture
def org(db: TestDatabase) -> uuid.UUID:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ada = add_host(s, org, "Ada Host", "America/New_York")
        add_event(s, org, [ada], "intro", allow_guests=True, guest_limit=2)
        add_event(s, org, [ada], "approval", require_approval=True)
    return org


def test_a_new_booking_queues_its_messages_once_when_relayed(
    db: TestDatabase, org: uuid.UUID
) -> None:
    with tenant_session(db.app_engine, org) as s:
        request = BookingRequest(
            start=MONDAY_10,
            name="Sam Lee",
            email="sam@example.com",
            timezone="Europe/Paris",
            guests=("kim@example.com",),
        )
        booking = create_booking(s, org, get_event(s, slug="intro"), request, now=NOW).booking
    # The booking's own transaction queued nothing: its event waits for the relay.
    assert jobs(db) == []
    assert outbox(db, org) == [("booking.created", False, 0)]
    assert pending_organisations(db.owner_engine) == [org]

    assert relay_all(db.owner_engine, db.app_engine, NOW) == 1
    queued = jobs(db)
    sends = [(a["email"], a["kind"], a["is_host"]) for n, a, _ in queued if n == "notify.send"]
    assert sends == [
        ("sam@example.com", "confirmation", False),
        ("kim@example.com", "confirmation", False),
        ("ada-host@acme.test", "confirmation", True),
    ]
    reminders = [(a["label"], at) for n, a, at in queued if n == "notify.reminder"]
    assert reminders == [
        ("in 24 hours", MONDAY_10 - timedelta(hours=24)),
        ("in 1 hour", MONDAY_10 - timedelta(hours=1)),
    ]
    assert {a["booking_id"] for _, a, _ in queued} == {str(booking.id)}
    assert outbox(db, org) == [("booking.created", True, 1)]
    # Dispatched events are out of the owner's sight, and a second relay finds nothing.
    assert pending_organisations(db.owner_engine) == []
    assert relay_all(db.owner_engine, db.app_engine, NOW) == 0
    assert len(jobs(db)) == 5


def test_an_approval_request_has_no_reminders(db: TestDatabase, org: uuid.UUID) -> None:
    book(db, org, "approval", MONDAY_10, "sam@example.com")
    relay_all(db.owner_engine, db.app_engine, NOW)
    assert [(n, a["kind"], a["email"]) for n, a, _ in jobs(db)] == [
        ("notify.send", "approval_requested", "sam@example.com"),
        ("notify.send", "approval_requested", "ada-host@acme.test"),
    ]


def test_a_booking_cancelled_before_the_relay_gets_only_its_cancellation(
    db: TestDatabase, org: uuid.UUID
) -> None:
    booking_id = book(db, org, "intro", MONDAY_10, "sam@example.com")
    with tenant_session(db.app_engine, org) as s:
        cancel_booking(s, booking_id, actor="sam@example.com", now=NOW)
    kept = book(db, org, "intro", MONDAY_10 + timedelta(hours=2), "kim@example.com")
    relay_all(db.owner_engine, db.app_engine, NOW)  # both bookings' events in one batch
    sends = [(a["kind"], a["email"], a["booking_id"]) for n, a, _ in jobs(db) if n == "notify.send"]
    assert sends == [
        ("cancellation", "sam@example.com", str(booking_id)),
        ("cancellation", "ada-host@acme.test", str(booking_id)),
        ("confirmation", "kim@example.com", str(kept)),
        ("confirmation", "ada-host@acme.test", str(kept)),
    ]
    assert outbox(db, org) == [
        ("booking.cancelled", True, 1),
        ("booking.created", True, 1),
        ("booking.created", True, 1),
    ]


def test_events_claimed_by_one_relay_are_skipped_by_another(
    db: TestDatabase, org: uuid.UUID
) -> None:
    book(db, org, "intro", MONDAY_10, "sam@example.com")
    with tenant_session(db.app_engine, org) as held:  # another relay's open transaction
        claimed = held.execute(CLAIM_SQL, {"max": MAX_ATTEMPTS, "batch": 10}).all()
        assert len(claimed) == 1
        assert relay_organisation(db.app_engine, org, NOW) == 0
    assert jobs(db) == []
    assert relay_organisation(db.app_engine, org, NOW) == 1
    assert len(jobs(db)) == 4  # two confirmations, two reminders


def test_a_failing_event_is_retried_then_left_alone_without_holding_up_others(
    db: TestDatabase, org: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise ValueError("the handler broke")

    monkeypatch.setitem(HANDLERS, "test.broken", explode)
    with tenant_session(db.app_engine, org) as s:
        track_event(s, BookingEvent(org_id=org, actor="test", occurred_at=NOW))
        s.add(
            OutboxMessage(org_id=org, name="test.broken", actor="test", payload={}, occurred_at=NOW)
        )
    book(db, org, "intro", MONDAY_10, "sam@example.com")
    assert relay_organisation(db.app_engine, org, NOW) == 2  # the other two go through
    assert outbox(db, org) == [
        ("booking.created", True, 1),
        ("event", True, 1),  # a name with no handler: dispatched as it is
        ("test.broken", False, 1),
    ]
    assert len(jobs(db)) == 4
    for _ in range(MAX_ATTEMPTS - 1):
        assert relay_all(db.owner_engine, db.app_engine, NOW) == 0
    assert ("test.broken", False, MAX_ATTEMPTS) in outbox(db, org)
    assert pending_organisations(db.owner_engine) == []  # given up: no longer claimed


def test_the_owner_finds_organisations_with_pending_events_and_the_app_role_its_own(
    db: TestDatabase, org: uuid.UUID
) -> None:
    other = make_org(db)
    for tenant in (org, other):
        with tenant_session(db.app_engine, tenant) as s:
            track_event(s, BookingEvent(org_id=tenant, actor="test", occurred_at=NOW))
    assert sorted(pending_organisations(db.owner_engine)) == sorted([org, other])
    with tenant_session(db.app_engine, org) as s:
        assert s.scalar(text("SELECT count(*) FROM oh_outbox")) == 1
    relay_organisation(db.app_engine, org, NOW)
    assert pending_organisations(db.owner_engine) == [other]


@pytest.mark.slow
def test_a_running_worker_relays_a_new_booking_within_seconds(
    db: TestDatabase, org: uuid.UUID, workers: Workers, tmp_path: Path
) -> None:
    workers.start(VAR_DIR=str(tmp_path), SMTP_URL="")
    booking_id = book(db, org, "intro", MONDAY_10, "sam@example.com")
    wait_for(lambda: outbox(db, org) == [("booking.created", True, 1)], 20, "the relay", workers)
    queued = [(n, a["booking_id"]) for n, a, _ in jobs(db)]
    assert queued.count(("notify.send", str(booking_id))) == 2
    # The worker sent them: the attendee's and the host's confirmation are on disk.
    wait_for(lambda: len(list((tmp_path / "mail").glob("*.eml"))) == 2, 20, "the mail", workers)
