"""Bookings through the service on real Postgres: create, replay, approve, move, cancel."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from scheduling.access import Actor
from scheduling.booking import (
    BookingRequest,
    BookingResult,
    InvalidBooking,
    InvalidTransition,
    NotAllowed,
    SlotTaken,
    SlotUnavailable,
    approve_booking,
    cancel_booking,
    create_booking,
    decline_booking,
    get_event,
    list_slots,
    reschedule_booking,
    revoke_token,
    verify_attendee,
)
from scheduling.booking.inputs import OCCUPIED_SQL, load_inputs
from scheduling.booking.service import BOOKING_KEYS
from scheduling.db import tenant_session
from scheduling.models import (
    Answer,
    Attendee,
    AuditLog,
    Booking,
    BookingHost,
    BookingStatus,
    HostOccupancy,
    MeetingType,
    OutboxMessage,
    QuestionType,
)
from scheduling.models.booking import OCCUPANCY_START_INDEX
from scheduling.notify.dispatch import CANCEL_REMINDERS_SQL, REMINDERS_INDEX
from scheduling.outbox import relay_all
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_question, add_session, make_org

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # Friday noon UTC


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    """A New York wall-clock time: days 27-30 are in November 2026, 1-26 in December."""
    month, day = (11, day) if day >= 27 else (12, day)
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


MONDAY = 30  # 30 November 2026


@dataclass
class World:
    db: TestDatabase
    org: uuid.UUID
    intro: uuid.UUID
    approval: uuid.UUID
    group: uuid.UUID
    session_id: uuid.UUID
    question: str
    host: uuid.UUID

    def book(
        self, event_id: uuid.UUID, start: datetime, email: str = "sam@example.com", **overrides: Any
    ) -> BookingResult:
        fields: dict[str, Any] = {
            "start": start,
            "name": "Sam Lee",
            "email": email,
            "timezone": "Asia/Tokyo",
            "answers": {self.question: "My portfolio"},
        }
        if event_id != self.intro:
            fields["answers"] = {}
        with tenant_session(self.db.app_engine, self.org) as s:
            event = get_event(s, event_id=event_id)
            return create_booking(
                s, self.org, event, BookingRequest(**(fields | overrides)), now=NOW
            )

    def booking(self, booking_id: uuid.UUID) -> Booking:
        with tenant_session(self.db.app_engine, self.org) as s:
            row = s.get(Booking, (self.org, booking_id))
            assert row is not None
            return row

    def jobs(self) -> list[tuple[str, dict[str, Any], datetime]]:
        """The queued jobs, once the outbox is relayed (as the worker does) as of NOW."""
        relay_all(self.db.owner_engine, self.db.app_engine, NOW)
        with self.db.owner_engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT task_name, args, scheduled_at FROM procrastinate_jobs "
                    "WHERE status = 'todo' ORDER BY id"
                )
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]

    def occupancy(self) -> list[tuple[uuid.UUID | None, datetime, datetime]]:
        with tenant_session(self.db.app_engine, self.org) as s:
            rows = s.scalars(select(HostOccupancy).order_by(HostOccupancy.during)).all()
            return [(r.booking_id or r.slot_id, r.during.lower, r.during.upper) for r in rows]


@pytest.fixture
def world(db: TestDatabase) -> World:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ada = add_host(s, org, "Ada Host", "America/New_York", buffer_after=10)
        intro = add_event(
            s, org, [ada], "intro", allow_guests=True, guest_limit=2, min_notice_hours=24
        )
        q = add_question(s, org, intro, "What would you like to discuss?", required=True)
        approval = add_event(s, org, [ada], "approval", require_approval=True)
        group = add_event(
            s, org, [ada], "office-hours", MeetingType.GROUP, capacity=3, duration_minutes=60
        )
        session = add_session(s, org, group, ada, ny(MONDAY, 13), ny(MONDAY, 14), capacity=3)
        return World(db, org, intro.id, approval.id, group.id, session.id, str(q.id), ada.id)


def test_booking_writes_everything_in_one_transaction(world: World) -> None:
    result = world.book(world.intro, ny(MONDAY, 10), guests=("kim@example.com",))
    booking = result.booking
    assert (booking.status, booking.starts_at, booking.ends_at) == (
        BookingStatus.CONFIRMED,
        ny(MONDAY, 10),
        ny(MONDAY, 10, 30),
    )
    assert (booking.seats, booking.buffer_after, booking.attendee_timezone) == (2, 10, "Asia/Tokyo")
    assert result.host_ids == (world.host,)
    assert world.occupancy() == [(booking.id, ny(MONDAY, 10), ny(MONDAY, 10, 40))]
    with tenant_session(world.db.app_engine, world.org) as s:
        people = s.execute(
            select(Attendee.email, Attendee.is_guest).order_by(Attendee.is_guest)
        ).all()
        answers = s.scalars(select(Answer.value)).all()
        outbox = s.scalars(select(OutboxMessage.name)).all()
    assert [tuple(p) for p in people] == [("sam@example.com", False), ("kim@example.com", True)]
    assert answers == ["My portfolio"]
    assert outbox == ["booking.created"]
    sends = [
        (args["email"], args["kind"], args["is_host"])
        for name, args, _ in world.jobs()
        if name == "notify.send"
    ]
    assert sorted(sends) == [
        ("ada-host@acme.test", "confirmation", True),
        ("kim@example.com", "confirmation", False),
        ("sam@example.com", "confirmation", False),
    ]
    reminders = [at for name, _, at in world.jobs() if name == "notify.reminder"]
    assert reminders == [ny(MONDAY, 10) - timedelta(hours=24), ny(MONDAY, 10) - timedelta(hours=1)]


def test_the_new_booking_returned_is_the_row_written_and_of_no_session(world: World) -> None:
    booking = world.book(world.intro, ny(MONDAY, 10), guests=("kim@example.com",)).booking
    assert inspect(booking).transient
    with tenant_session(world.db.app_engine, world.org) as s:
        row = s.get_one(Booking, (world.org, booking.id))
        written = {k: getattr(row, k) for k in (*BOOKING_KEYS, "status")}
    assert {k: getattr(booking, k) for k in (*BOOKING_KEYS, "status")} == written
    assert written["ical_uid"] == f"{booking.id}@liveschool"


def test_taken_slot_and_its_buffer_disappear_from_the_offer(world: World) -> None:
    world.book(world.intro, ny(MONDAY, 10))
    with tenant_session(world.db.app_engine, world.org) as s:
        event = get_event(s, event_id=world.intro)
        slots = list_slots(s, event, ny(MONDAY, 9), ny(MONDAY, 12), now=NOW)
    # 10:00 is booked and its 10-minute after-buffer pushes the next start past 10:30.
    assert [sl.start.astimezone(NY).strftime("%H:%M") for sl in slots] == [
        "09:00",
        "11:00",
        "11:30",
    ]


def test_retry_with_the_same_key_returns_the_original(world: World) -> None:
    first = world.book(world.intro, ny(MONDAY, 10), idempotency_key="key-1")
    again = world.book(world.intro, ny(MONDAY, 10), idempotency_key="key-1")
    plain_retry = world.book(world.intro, ny(MONDAY, 11))
    plain_again = world.book(world.intro, ny(MONDAY, 11))
    assert (again.booking.id, again.replayed) == (first.booking.id, True)
    assert (plain_again.booking.id, plain_again.replayed) == (plain_retry.booking.id, True)
    with pytest.raises(InvalidBooking) as info:
        world.book(world.intro, ny(MONDAY, 14), idempotency_key="key-1")
    assert info.value.errors == {
        "idempotency_key": "This key was already used for a different booking."
    }


def test_second_attendee_on_the_same_slot_is_told_it_was_taken(world: World) -> None:
    world.book(world.intro, ny(MONDAY, 10))
    with pytest.raises(SlotTaken, match="just taken"):
        world.book(world.intro, ny(MONDAY, 10), email="other@example.com")


def test_the_database_refuses_overlap_even_without_the_service(world: World) -> None:
    booking = world.book(world.intro, ny(MONDAY, 10)).booking
    with (
        pytest.raises(IntegrityError, match="ex_oh_host_occupancy_no_overlap"),
        tenant_session(world.db.app_engine, world.org) as s,
    ):
        s.execute(
            text(
                "INSERT INTO oh_host_occupancy (org_id, admin_id, booking_id, during) "
                "VALUES (:o, :h, :b, tstzrange(:lo, :hi))"
            ),
            {
                "o": world.org,
                "h": world.host,
                "b": booking.id,
                "lo": ny(MONDAY, 10, 35),
                "hi": ny(MONDAY, 11),
            },
        )


def test_pending_approval_blocks_then_decline_frees(world: World) -> None:
    pending = world.book(world.approval, ny(MONDAY, 15)).booking
    assert pending.status is BookingStatus.PENDING_APPROVAL
    with pytest.raises(SlotTaken):
        world.book(world.intro, ny(MONDAY, 15), email="late@example.com")
    with tenant_session(world.db.app_engine, world.org) as s:
        declined = decline_booking(
            s, pending.id, now=NOW, actor=Actor.system(world.org), reason="Full week"
        )
        assert declined.status is BookingStatus.DECLINED
    assert world.book(world.intro, ny(MONDAY, 15), email="late@example.com").booking.status is (
        BookingStatus.CONFIRMED
    )


def test_approval_confirms_and_sends_the_invitation(world: World) -> None:
    pending = world.book(world.approval, ny(MONDAY, 15)).booking
    kinds = [a["kind"] for n, a, _ in world.jobs() if n == "notify.send"]
    assert kinds == ["approval_requested", "approval_requested"]
    with tenant_session(world.db.app_engine, world.org) as s:
        approve_booking(s, pending.id, now=NOW, actor=Actor.system(world.org))
    assert world.booking(pending.id).status is BookingStatus.CONFIRMED
    approved = [
        a["email"] for n, a, _ in world.jobs() if n == "notify.send" and a["kind"] == "approved"
    ]
    assert approved == ["sam@example.com"]
    with tenant_session(world.db.app_engine, world.org) as s, pytest.raises(InvalidTransition):
        approve_booking(s, pending.id, now=NOW, actor=Actor.system(world.org))


def test_reschedule_is_atomic_and_keeps_the_calendar_uid(world: World) -> None:
    old = world.book(world.intro, ny(MONDAY, 10)).booking
    with tenant_session(world.db.app_engine, world.org) as s:
        moved = reschedule_booking(
            s, old.id, ny(MONDAY, 10, 30) + timedelta(minutes=30), now=NOW, actor="sam@example.com"
        )
    new = moved.booking
    old_now = world.booking(old.id)
    assert old_now.status is BookingStatus.RESCHEDULED
    assert (new.status, new.rescheduled_from_id, new.starts_at) == (
        BookingStatus.CONFIRMED,
        old.id,
        ny(MONDAY, 11),
    )
    assert (new.ical_uid, new.ics_sequence) == (old.ical_uid, old.ics_sequence + 1)
    assert world.occupancy() == [(new.id, ny(MONDAY, 11), ny(MONDAY, 11, 40))]
    reminders = [a["booking_id"] for n, a, _ in world.jobs() if n == "notify.reminder"]
    assert reminders == [str(new.id), str(new.id)]  # the old ones were dropped


def test_reminders_are_found_through_their_index_in_generic_plans(world: World) -> None:
    """Cancelling a booking's reminders looks them up by booking among the queued jobs, as
    the application role and with the generic plan the public face uses; scans forced to
    indexes, so the plan, not the small table's costs, is checked."""
    booking = world.book(world.intro, ny(MONDAY, 10)).booking
    query = CANCEL_REMINDERS_SQL.text.replace(":task", "$1").replace(":booking", "$2")
    with tenant_session(world.db.app_engine, world.org, generic_plans=True) as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        s.execute(text(f"PREPARE cancel_plan(text, text) AS {query}"))
        plan = s.execute(
            text(f"EXPLAIN (FORMAT JSON) EXECUTE cancel_plan('notify.reminder', '{booking.id}')")
        ).scalar_one()
        s.execute(text("DEALLOCATE cancel_plan"))

    def nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    (scan,) = [n for n in nodes(plan[0]["Plan"]) if n.get("Relation Name") == "procrastinate_jobs"]
    assert scan["Index Name"] == REMINDERS_INDEX
    assert "booking_id" in scan["Index Cond"]


def test_reschedule_may_overlap_its_own_old_time(world: World) -> None:
    old = world.book(world.intro, ny(MONDAY, 10)).booking
    with tenant_session(world.db.app_engine, world.org) as s:
        new = reschedule_booking(s, old.id, ny(MONDAY, 9, 30), now=NOW, actor="sam").booking
    assert new.starts_at == ny(MONDAY, 9, 30)


def test_cancel_records_who_and_why_and_frees_the_slot(world: World) -> None:
    booking = world.book(world.intro, ny(MONDAY, 10)).booking
    with tenant_session(world.db.app_engine, world.org) as s:
        cancel_booking(s, booking.id, now=NOW, actor="sam@example.com", reason="Sick")
    row = world.booking(booking.id)
    assert (row.status, row.cancelled_by, row.cancellation_reason, row.cancelled_at) == (
        BookingStatus.CANCELLED,
        "sam@example.com",
        "Sick",
        NOW,
    )
    assert world.occupancy() == []
    assert [n for n, _, _ in world.jobs() if n == "notify.reminder"] == []
    again = world.book(world.intro, ny(MONDAY, 10))  # same attendee, same time: a new booking
    assert again.booking.id != booking.id and not again.replayed
    with tenant_session(world.db.app_engine, world.org) as s, pytest.raises(InvalidTransition):
        cancel_booking(s, booking.id, now=NOW, actor="sam@example.com")


def test_self_service_token_allows_its_booking_only_until_revoked(world: World) -> None:
    first = world.book(world.intro, ny(MONDAY, 10))
    second = world.book(world.intro, ny(MONDAY, 11), email="b@example.com")
    with tenant_session(world.db.app_engine, world.org) as s:
        assert verify_attendee(s, first.booking.id, first.manage_token).id == first.booking.id
        with pytest.raises(NotAllowed):
            verify_attendee(s, second.booking.id, first.manage_token)
        revoke_token(s, first.booking.id, now=NOW, actor=Actor.system(world.org))
    with (
        tenant_session(world.db.app_engine, world.org) as s,
        pytest.raises(NotAllowed, match="revoked"),
    ):
        verify_attendee(s, first.booking.id, first.manage_token)
    assert first.booking.manage_token_hash != first.manage_token  # only the hash is stored


def test_group_session_fills_then_disappears(world: World) -> None:
    world.book(world.group, ny(MONDAY, 13), email="a@example.com")
    world.book(world.group, ny(MONDAY, 13), email="b@example.com")
    with tenant_session(world.db.app_engine, world.org) as s:
        event = get_event(s, event_id=world.group)
        (slot,) = list_slots(s, event, ny(MONDAY, 0), ny(MONDAY, 23), now=NOW)
    assert (slot.start, slot.seats_remaining) == (ny(MONDAY, 13), 1)
    world.book(world.group, ny(MONDAY, 13), email="c@example.com")
    with pytest.raises(SlotTaken):
        world.book(world.group, ny(MONDAY, 13), email="d@example.com")
    with tenant_session(world.db.app_engine, world.org) as s:
        event = get_event(s, event_id=world.group)
        assert list_slots(s, event, ny(MONDAY, 0), ny(MONDAY, 23), now=NOW) == []
    # The host's one-on-one time during the session is blocked by the session.
    with pytest.raises(SlotTaken):
        world.book(world.intro, ny(MONDAY, 13, 30), email="e@example.com")


BAD_REQUESTS = [
    ("unknown zone", {"timezone": "Mars/Olympus"}, InvalidBooking, "timezone"),
    ("bad email", {"email": "not-an-email"}, InvalidBooking, "email"),
    ("no name", {"name": "  "}, InvalidBooking, "name"),
    ("too many guests", {"guests": ("a@x.test", "b@x.test", "c@x.test")}, InvalidBooking, "guests"),
    ("missing answer", {"answers": {}}, InvalidBooking, "answers"),
    ("not on the grid", {"start": ny(MONDAY, 10, 7)}, SlotUnavailable, "not_on_grid"),
    (
        "outside the window",
        {"start": ny(MONDAY, 10) + timedelta(days=70)},
        SlotUnavailable,
        "outside_window",
    ),
    ("too soon", {"start": ny(27, 10)}, SlotUnavailable, "too_soon"),
    ("outside hours", {"start": ny(MONDAY, 20)}, SlotUnavailable, None),
    ("naive start", {"start": datetime(2026, 11, 30, 10)}, InvalidBooking, "start"),
]


@pytest.mark.parametrize(
    ("case", "overrides", "error", "detail"), BAD_REQUESTS, ids=[c[0] for c in BAD_REQUESTS]
)
def test_bad_requests_get_specific_errors(
    world: World, case: str, overrides: dict[str, Any], error: type[Exception], detail: str | None
) -> None:
    with pytest.raises(error) as info:
        world.book(world.intro, overrides.pop("start", ny(MONDAY, 10)), **overrides)
    if isinstance(info.value, InvalidBooking):
        assert any(key.startswith(detail or "") for key in info.value.errors), info.value.errors
    elif detail:
        assert info.value.reason == detail
    with tenant_session(world.db.app_engine, world.org) as s:
        assert s.scalars(select(Booking)).all() == []  # nothing half-written


def test_range_with_end_before_start_is_rejected(world: World) -> None:
    with tenant_session(world.db.app_engine, world.org) as s, pytest.raises(InvalidBooking) as e:
        list_slots(s, get_event(s, event_id=world.intro), ny(MONDAY, 12), ny(MONDAY, 9), now=NOW)
    assert e.value.errors == {"end": "The end of the range is before its start."}


def test_answers_are_validated_by_question_type(db: TestDatabase) -> None:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Bo Host", "Europe/London", hours=(time(8), time(18)))
        event = add_event(s, org, [host], "typed")
        level = add_question(s, org, event, "Level", QuestionType.SELECT, options=["BA", "MA"])
        count = add_question(s, org, event, "How many", QuestionType.NUMBER)
        topics = add_question(
            s, org, event, "Topics", QuestionType.MULTI_SELECT, options=["Visa", "Fees"]
        )
        request = BookingRequest(
            start=datetime(2026, 11, 30, 10, tzinfo=UTC),
            name="Al",
            email="al@x.test",
            timezone="Europe/London",
            answers={
                str(level.id): "PhD",
                str(count.id): "three",
                str(topics.id): ["Visa", "Pets"],
            },
        )
        with pytest.raises(InvalidBooking) as info:
            create_booking(s, org, event, request, now=NOW)
    assert info.value.errors == {
        f"answers.{level.id}": "Not an option: PhD.",
        f"answers.{count.id}": "Please enter a number.",
        f"answers.{topics.id}": "Not an option: Pets.",
    }


def test_reschedule_keeps_the_same_host_when_still_free(db: TestDatabase) -> None:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        first = add_host(s, org, "Ann First", "America/New_York")
        second = add_host(s, org, "Bo Second", "America/New_York")
        event = add_event(s, org, [first, second], "either", MeetingType.ROUND_ROBIN)
        event_id, second_id = event.id, second.id
    with tenant_session(db.app_engine, org) as s:
        ev = get_event(s, event_id=event_id)
        taken = create_booking(
            s,
            org,
            ev,
            BookingRequest(start=ny(MONDAY, 10), name="A", email="a@x.test", timezone="UTC"),
            now=NOW,
        )
        mine = create_booking(
            s,
            org,
            ev,
            BookingRequest(start=ny(MONDAY, 10), name="B", email="b@x.test", timezone="UTC"),
            now=NOW,
        )
    assert (taken.host_ids, mine.booking.id != taken.booking.id) == ((first.id,), True)
    with tenant_session(db.app_engine, org) as s:
        moved = reschedule_booking(s, mine.booking.id, ny(MONDAY, 14), now=NOW, actor="b")
        hosts = s.scalars(
            select(BookingHost.admin_id).where(BookingHost.booking_id == moved.booking.id)
        ).all()
    assert hosts == [second_id]  # Ann is free at 14:00 too, but Bo keeps the meeting


def test_recheck_lays_the_grid_from_the_last_booking_before_the_start(db: TestDatabase) -> None:
    """Re-checking one start reads only the bookings that reach it and the last one before
    it; a 25-minute grid restarts where that last one ends, not at an earlier one's end."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Grid Host", "America/New_York")
        long = add_event(s, org, [host], "long", duration_minutes=45, slot_increment_minutes=60)
        odd = add_event(s, org, [host], "odd", duration_minutes=25, slot_increment_minutes=25)
        s.flush()  # no daily or weekly limit (the columns default to 8 and 30): no full read
        s.execute(
            text("UPDATE oh_admins SET max_meetings_per_day = NULL, max_meetings_per_week = NULL")
        )

    def book(event_id: uuid.UUID, start: datetime, email: str) -> BookingResult:
        with tenant_session(db.app_engine, org) as s:
            event = get_event(s, event_id=event_id)
            request = BookingRequest(start=start, name="Pat", email=email, timezone="UTC")
            return create_booking(s, org, event, request, now=NOW)

    book(long.id, ny(MONDAY, 9), "first@example.com")  # 09:00-09:45
    book(long.id, ny(MONDAY, 10), "second@example.com")  # 10:00-10:45
    with tenant_session(db.app_engine, org) as s:
        event = get_event(s, event_id=odd.id)
        offered = list_slots(s, event, ny(MONDAY, 10), ny(MONDAY, 12), now=NOW)
    starts = [sl.start.astimezone(NY).strftime("%H:%M") for sl in offered]
    assert starts == ["10:45", "11:10", "11:35"]  # from 10:45; 09:00 or 09:45 would differ
    with pytest.raises(SlotTaken):  # on the grid from 09:00: the bookings moved it
        book(odd.id, ny(MONDAY, 11, 5), "early@example.com")
    made = book(odd.id, ny(MONDAY, 11, 10), "pat@example.com").booking
    assert (made.starts_at, made.ends_at) == (ny(MONDAY, 11, 10), ny(MONDAY, 11, 35))


def test_booked_time_reads_find_a_booking_that_starts_before_them(db: TestDatabase) -> None:
    """The reads of booked time take a host's rows in start order: one that starts before
    the time read and reaches into it is found, once; a rescheduled booking's own is not."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Edge Host", "America/New_York")
        long = add_event(s, org, [host], "long", duration_minutes=120)
        short = add_event(s, org, [host], "short", duration_minutes=30)
        s.flush()
        s.execute(
            text("UPDATE oh_admins SET max_meetings_per_day = NULL, max_meetings_per_week = NULL")
        )
    with tenant_session(db.app_engine, org) as s:
        request = BookingRequest(start=ny(MONDAY, 9), name="Pat", email="p@x.test", timezone="UTC")
        early = create_booking(s, org, get_event(s, event_id=long.id), request, now=NOW)
        request = BookingRequest(start=ny(MONDAY, 13), name="Sam", email="s@x.test", timezone="UTC")
        create_booking(s, org, get_event(s, event_id=short.id), request, now=NOW)

    def busy(start: datetime, **kw: Any) -> list[tuple[str, str]]:
        with tenant_session(db.app_engine, org) as s:
            event = get_event(s, event_id=short.id)
            inputs = load_inputs(s, event, start, start + timedelta(minutes=30), **kw)
        (only,) = inputs.hosts
        return [
            (b.start.astimezone(NY).strftime("%H:%M"), b.end.astimezone(NY).strftime("%H:%M"))
            for b in sorted(only.busy, key=lambda b: b.start)
        ]

    # Re-checking 10:00, inside the 09:00-11:00 booking: that booking, not one before it.
    assert busy(
        ny(MONDAY, 10),
        check_at=ny(MONDAY, 10),
        margin=timedelta(hours=26),
        margin_after=timedelta(0),
    ) == [("09:00", "11:00")]
    # A range read that starts inside it finds it once, and the later one.
    assert busy(ny(MONDAY, 10), margin=timedelta(0), margin_after=timedelta(hours=4)) == [
        ("09:00", "11:00"),
        ("13:00", "13:30"),
    ]
    # Rescheduling the long booking: its own time is free, so nothing reaches 10:00.
    assert (
        busy(
            ny(MONDAY, 10),
            check_at=ny(MONDAY, 10),
            margin=timedelta(hours=26),
            margin_after=timedelta(0),
            exclude_booking=early.booking.id,
        )
        == []
    )
    # A re-check after both: the last one before the start, and nothing earlier.
    assert busy(
        ny(MONDAY, 14),
        check_at=ny(MONDAY, 14),
        margin=timedelta(hours=26),
        margin_after=timedelta(0),
    ) == [("13:00", "13:30")]


def test_booked_time_is_looked_up_by_start_under_row_security(db: TestDatabase) -> None:
    """As the application role (row-level security), the start bounds are index conditions:
    only leakproof operators may be, so an index on lower(during) was scanned by host alone.
    Two hundred past meetings and planner statistics make the btree the cheap path."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Plan Host", "UTC")
        event = add_event(s, org, [host], "plan")
        s.flush()
        host_id, event_id = host.id, event.id
    with tenant_session(db.owner_engine, org) as s:  # row security is forced on the owner too
        s.execute(
            text(
                "WITH b AS (INSERT INTO oh_bookings (org_id, event_id, starts_at, ends_at,"
                " ical_uid) SELECT oh_current_org(), :event, at, at + interval '30 minutes',"
                " md5(at::text) FROM generate_series(CAST(:t0 AS timestamptz),"
                " CAST(:t0 AS timestamptz) + interval '199 hours', interval '1 hour') AS at"
                " RETURNING id, starts_at, ends_at) "
                "INSERT INTO oh_host_occupancy (org_id, admin_id, booking_id, during) "
                "SELECT oh_current_org(), :host, id, tstzrange(starts_at, ends_at) FROM b"
            ),
            {"event": event_id, "host": host_id, "t0": NOW - timedelta(days=10)},
        )
    with db.owner_engine.begin() as conn:
        conn.execute(text("ANALYZE oh_host_occupancy"))
    with tenant_session(db.app_engine, org) as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        s.execute(text("SET LOCAL enable_bitmapscan = off"))
        params = {"hosts": [host_id], "lo": NOW, "at": NOW, "hi": NOW + timedelta(hours=1)}
        plan = s.execute(
            text(f"EXPLAIN (FORMAT JSON) {OCCUPIED_SQL.text}"), params | {"exclude": None}
        ).scalar_one()

    def scans(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if node.get("Relation Name") == "oh_host_occupancy":
            yield node
        for child in node.get("Plans", []):
            yield from scans(child)

    found = list(scans(plan[0]["Plan"]))
    assert [n["Index Name"] for n in found] == [OCCUPANCY_START_INDEX] * 2
    assert all("occupied_from" in n["Index Cond"] for n in found)
    assert not any("occupied_from" in n.get("Filter", "") for n in found)


def test_booking_statement_writes_its_outbox_event_and_audit_entry_value_for_value(
    world: World,
) -> None:
    # They travel as JSON inside the booking's one statement and are typed by their table.
    booking = world.book(world.intro, ny(MONDAY, 10)).booking
    with tenant_session(world.db.app_engine, world.org) as s:
        event = s.scalars(select(OutboxMessage)).one()
        entry = s.scalars(select(AuditLog)).one()
    assert (event.name, event.actor, event.occurred_at, event.dispatched_at, event.attempts) == (
        "booking.created",
        "attendee",
        NOW,
        None,
        0,
    )
    assert event.payload["booking_id"] == str(booking.id)
    assert event.payload["event_id"] == str(world.intro)
    assert datetime.fromisoformat(event.payload["starts_at"]) == ny(MONDAY, 10)
    assert (entry.actor_id, entry.actor_label, entry.action, entry.entity_type) == (
        None,
        "attendee",
        "booking.created",
        "booking",
    )
    assert (entry.entity_id, entry.old_values, entry.ip_address) == (booking.id, None, None)
    assert entry.new_values == {
        "status": "confirmed",
        "starts_at": "2026-11-30T15:00:00+00:00",
        "ends_at": "2026-11-30T15:30:00+00:00",
        "event_id": str(world.intro),
    }
