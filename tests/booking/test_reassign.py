"""Reassigning a booking to another host: the move, the messages, and every refusal."""

from __future__ import annotations

import threading
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.orm import Session

from scheduling.access import Actor
from scheduling.booking import (
    BookingRequest,
    HostUnavailable,
    InvalidBooking,
    InvalidTransition,
    cancel_booking,
    create_booking,
    get_event,
    reassign_booking,
)
from scheduling.config import Config
from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    AuditLog,
    Booking,
    BookingHost,
    HostOccupancy,
    MeetingType,
    OutboxMessage,
    TimeOff,
)
from scheduling.outbox import relay_all
from tests.booking.test_messages import (
    Inbox,
    body_of,
    calendar_of,
    deliver_queued,
    vevent,
)
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, make_org

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
TEN = datetime(2026, 11, 30, 10, tzinfo=NY)  # Monday


@dataclass
class Clinic:
    """Ada and Bo host the round-robin `call`; Sam booked 10:00 New York, which went to Ada."""

    db: TestDatabase
    org: uuid.UUID
    ada: uuid.UUID
    bo: uuid.UUID
    booking: uuid.UUID

    def state(self) -> tuple[list[str], list[tuple[str, datetime, datetime]], list[str], int]:
        """Hosts, occupancy (host, from, to), reassign audit rows and outbox events."""
        with tenant_session(self.db.app_engine, self.org) as s:
            hosts = s.scalars(
                select(Admin.name)
                .join(BookingHost, BookingHost.admin_id == Admin.id)
                .where(BookingHost.booking_id == self.booking)
            ).all()
            occupancy = [
                (name, during.lower, during.upper)
                for name, during in s.execute(
                    select(Admin.name, HostOccupancy.during)
                    .join(Admin, Admin.id == HostOccupancy.admin_id)
                    .where(HostOccupancy.booking_id == self.booking)
                )
            ]
            audits = s.scalars(
                select(AuditLog.action).where(AuditLog.action == "booking.reassigned")
            ).all()
            events = s.scalar(
                select(text("count(*)"))
                .select_from(OutboxMessage)
                .where(OutboxMessage.name == "booking.reassigned")
            )
        return sorted(hosts), occupancy, list(audits), int(events or 0)


def book(s: Session, org: uuid.UUID, slug: str, start: datetime, email: str) -> uuid.UUID:
    request = BookingRequest(start=start, name="Sam Student", email=email, timezone="Europe/Paris")
    return create_booking(s, org, get_event(s, slug=slug), request, now=NOW).booking.id


@pytest.fixture
def clinic(db: TestDatabase) -> Clinic:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ada = add_host(s, org, "Ada Host", "America/New_York", buffer_after=10)
        bo = add_host(s, org, "Bo Second", "America/New_York")
        add_event(s, org, [ada, bo], "call", MeetingType.ROUND_ROBIN)
        add_event(s, org, [bo], "bo-call")
        booking = book(s, org, "call", TEN, "sam@x.test")
    relay_all(db.owner_engine, db.app_engine, NOW)  # the booking's own messages, then none
    with db.owner_engine.begin() as conn:
        conn.execute(text("DELETE FROM procrastinate_jobs"))
    return Clinic(db, org, ada.id, bo.id, booking)


def test_reassign_moves_the_host_and_the_held_time_and_tells_all_three(
    clinic: Clinic, smtp: tuple[Inbox, int], config: Config
) -> None:
    inbox, _ = smtp
    admin = Actor.system(clinic.org, "lead@acme.test")
    with tenant_session(clinic.db.app_engine, clinic.org) as s:
        booking = reassign_booking(s, clinic.booking, clinic.bo, now=NOW, actor=admin)
        assert booking.ics_sequence == 1
    hosts, occupancy, audits, events = clinic.state()
    # Buffers stay as booked (Ada's 10 minutes after), now on Bo's calendar.
    ten = TEN.astimezone(UTC)
    assert hosts == ["Bo Second"]
    assert occupancy == [("Bo Second", ten, ten + timedelta(minutes=40))]
    assert (audits, events) == (["booking.reassigned"], 1)
    with tenant_session(clinic.db.app_engine, clinic.org) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "booking.reassigned")).one()
        outbox = s.scalars(
            select(OutboxMessage).where(OutboxMessage.name == "booking.reassigned")
        ).one()
    assert (row.old_values["hosts"], row.new_values["hosts"]) == (["Ada Host"], ["Bo Second"])
    assert row.actor_label == "lead@acme.test"
    assert outbox.payload["from_host_id"] == str(clinic.ada)
    assert outbox.payload["to_host_id"] == str(clinic.bo)

    assert deliver_queued(clinic.db, config) == 3
    (attendee,) = inbox.to("sam@x.test")
    (new_host,) = inbox.to("bo-second@acme.test")
    (old_host,) = inbox.to("ada-host@acme.test")
    assert attendee["Subject"] == "New host for Call on Mon 30 Nov, 16:00 (Europe/Paris)"
    assert "Your meeting is now with Bo Second; the time is unchanged." in body_of(attendee)
    assert (
        new_host["Subject"]
        == "Assigned to you: Sam Student on Mon 30 Nov, 10:00 (America/New_York)"
    )
    assert old_host["Subject"] == "Handed over: Sam Student on Mon 30 Nov, 10:00 (America/New_York)"
    assert "is now hosted by Bo Second; it has been taken off your calendar." in body_of(old_host)
    assert "token=" not in body_of(old_host) + body_of(new_host)
    methods = [calendar_of(m)["METHOD"] for m in (attendee, new_host, old_host)]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert {int(vevent(calendar_of(m))["SEQUENCE"]) for m in (attendee, new_host, old_host)} == {1}
    assert str(vevent(calendar_of(attendee))["ORGANIZER"]) == "mailto:bo-second@acme.test"


def _busy(s: Session, c: Clinic) -> None:
    book(s, c.org, "bo-call", TEN, "other@x.test")


def _off(s: Session, c: Clinic) -> None:
    s.add(
        TimeOff(
            org_id=c.org,
            admin_id=c.bo,
            starts_at=TEN - timedelta(hours=2),
            ends_at=TEN + timedelta(hours=6),
        )
    )


def _full_day(s: Session, c: Clinic) -> None:
    bo = s.get(Admin, (c.org, c.bo))
    assert bo is not None
    bo.max_meetings_per_day = 1
    book(s, c.org, "bo-call", TEN.replace(hour=15), "other@x.test")


def _late_shift(s: Session, c: Clinic) -> None:
    s.execute(
        text(
            "UPDATE oh_availability_rules SET start_time = :t WHERE schedule_id IN "
            "(SELECT id FROM oh_availability_schedules WHERE admin_id = :bo)"
        ),
        {"t": time(13), "bo": c.bo},
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (_busy, "Bo Second is busy then."),
        (_off, "Bo Second is off then."),
        (_full_day, "Bo Second has reached their meeting limit for that day or week."),
        (_late_shift, "Bo Second does not work then."),
    ],
    ids=["busy", "time off", "daily limit", "outside hours"],
)
def test_reassigning_to_a_host_who_cannot_take_it_changes_nothing(
    clinic: Clinic, setup: Callable[[Session, Clinic], None], message: str
) -> None:
    with tenant_session(clinic.db.app_engine, clinic.org) as s:
        setup(s, clinic)
    before = clinic.state()
    with (
        pytest.raises(HostUnavailable) as refused,
        tenant_session(clinic.db.app_engine, clinic.org) as s,
    ):
        reassign_booking(s, clinic.booking, clinic.bo, now=NOW, actor=Actor.system(clinic.org))
    assert refused.value.errors == {"to_host": message}
    assert str(refused.value) == message
    assert clinic.state() == before
    assert before[0] == ["Ada Host"]


@pytest.mark.parametrize(
    ("who", "errors"),
    [
        ("ada", {"to_host": "Ada Host already hosts this booking."}),
        ("cy", {"to_host": "Cy Outsider does not host Call; add them to the event first."}),
        ("gone", {"to_host": "Gone Host is deactivated."}),
        ("nobody", {"to_host": "Choose a person from the list."}),
    ],
)
def test_the_new_host_must_be_an_active_host_of_the_event(
    clinic: Clinic, who: str, errors: dict[str, str]
) -> None:
    with tenant_session(clinic.db.app_engine, clinic.org) as s:
        cy = add_host(s, clinic.org, "Cy Outsider", "America/New_York")
        gone = add_host(s, clinic.org, "Gone Host", "America/New_York")
        gone.is_active = False
        ids = {"ada": clinic.ada, "cy": cy.id, "gone": gone.id, "nobody": uuid.uuid4()}
    before = clinic.state()
    with (
        pytest.raises(InvalidBooking) as refused,
        tenant_session(clinic.db.app_engine, clinic.org) as s,
    ):
        reassign_booking(s, clinic.booking, ids[who], now=NOW, actor=Actor.system(clinic.org))
    assert refused.value.errors == errors
    assert clinic.state() == before


def test_cancelled_or_past_bookings_keep_their_host(clinic: Clinic) -> None:
    system = Actor.system(clinic.org)
    with (
        tenant_session(clinic.db.app_engine, clinic.org) as s,
        pytest.raises(InvalidTransition, match="has begun"),
    ):
        reassign_booking(s, clinic.booking, clinic.bo, now=TEN + timedelta(minutes=5), actor=system)
    with tenant_session(clinic.db.app_engine, clinic.org) as s:
        cancel_booking(s, clinic.booking, now=NOW, actor=system)
    with (
        tenant_session(clinic.db.app_engine, clinic.org) as s,
        pytest.raises(InvalidTransition, match="cancelled and cannot be reassigned"),
    ):
        reassign_booking(s, clinic.booking, clinic.bo, now=NOW, actor=system)


def test_the_database_refuses_a_double_booking_that_the_check_could_not_see(
    clinic: Clinic,
) -> None:
    """A rival transaction books Bo at 10:00 without taking the booking locks and commits
    only after our check has passed: the exclusion constraint refuses, with the same message."""
    db, org = clinic.db, clinic.org
    outcome: list[object] = []

    def reassign() -> None:
        try:
            with tenant_session(db.app_engine, org) as s:
                reassign_booking(s, clinic.booking, clinic.bo, now=NOW, actor=Actor.system(org))
            outcome.append("moved")
        except HostUnavailable as exc:
            outcome.append(exc.errors)

    worker = threading.Thread(target=reassign)
    with tenant_session(db.app_engine, org) as rival:
        ten = TEN.astimezone(UTC)
        other = Booking(
            org_id=org,
            id=uuid.uuid4(),
            event_id=get_event(rival, slug="bo-call").id,
            starts_at=ten,
            ends_at=ten + timedelta(minutes=30),
        )
        rival.add(other)
        rival.flush()
        rival.add(BookingHost(org_id=org, booking_id=other.id, admin_id=clinic.bo))
        rival.add(
            HostOccupancy(
                org_id=org,
                admin_id=clinic.bo,
                booking_id=other.id,
                during=Range(ten, ten + timedelta(minutes=30)),
            )
        )
        rival.flush()
        worker.start()
        _wait_for_lock_wait(db)
    worker.join(timeout=30)
    assert outcome == [{"to_host": "Bo Second is busy then."}]
    hosts, occupancy, audits, _ = clinic.state()
    assert (hosts, audits) == (["Ada Host"], [])
    assert [name for name, *_ in occupancy] == ["Ada Host"]


def _wait_for_lock_wait(db: TestDatabase) -> None:
    """Until a session of this database waits on a lock (our insert, on the rival's row)."""
    for _ in range(200):
        with db.owner_engine.connect() as conn:
            waiting = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        clock.sleep(0.05)
    raise AssertionError("the reassignment never waited on the rival transaction")
