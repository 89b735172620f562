"""Group events: sessions with capacity and guests, busy hosts, notice/window, recurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduling.availability import (
    GroupSession,
    GuestsNotAllowed,
    HostAvailability,
    RecurringPattern,
    SlotUnavailable,
    TooManyGuests,
    check_slot,
    compute_slots,
    expand_recurring_sessions,
)
from tests.availability.availability_helpers import at, booking, event, schedule

NY = "America/New_York"
NOW = at(NY, "2024-06-01 09:00")  # Saturday, New York
RANGE = {"start": at(NY, "2024-06-03 00:00"), "end": at(NY, "2024-06-08 00:00")}


def _session(sid: str, start: str, end: str, capacity: int | None = None, taken: int = 0):
    """A session given in New York wall time."""
    return GroupSession(sid, at(NY, start), at(NY, end), capacity, taken)


def _host(bookings=(), **limits) -> HostAvailability:
    """A New York host working 09:00-17:00 on weekdays (sessions ignore these hours)."""
    return HostAvailability(
        host_id="h",
        timezone=NY,
        schedule=schedule(NY, {"mon-fri": "09:00-17:00"}),
        busy=tuple(booking(NY, b, n) for n, b in enumerate(bookings)),
        **limits,
    )


def _event(**kw):
    """A 60-minute group event for 5 people, displayed in New York."""
    return event(NY, "group", **{"duration_minutes": 60, "capacity": 5, **kw})


def _show(slots) -> list[str]:
    """'Mon-18:00/s1:2' = local start, session id and seats remaining."""
    z = ZoneInfo(NY)
    return [f"{s.start.astimezone(z):%a-%H:%M}/{s.session_id}:{s.seats_remaining}" for s in slots]


def test_capacity_seats_remaining_and_full_session_disappears() -> None:
    """Zone New York, now Sat 2024-06-01 09:00: capacity falls back to the event's."""
    sessions = [
        _session("s1", "2024-06-03 18:00", "2024-06-03 19:00", None, 3),
        _session("s2", "2024-06-04 18:00", "2024-06-04 19:00", 4, 4),
        _session("s3", "2024-06-05 18:00", "2024-06-05 19:00", 8, 1),
    ]
    slots = compute_slots(_event(), [_host()], now=NOW, sessions=sessions, **RANGE)
    assert _show(slots) == ["Mon-18:00/s1:2", "Wed-18:00/s3:7"]
    assert slots[0].start == datetime(2024, 6, 3, 22, tzinfo=UTC)
    assert slots[0].host_ids == ("h",)


def test_own_bookings_do_not_block_but_other_bookings_and_buffers_do() -> None:
    """Zone New York, now Sat 2024-06-01 09:00: only OTHER bookings make a session busy."""
    sessions = [
        _session("s1", "2024-06-03 18:00", "2024-06-03 19:00", None, 2),
        _session("s2", "2024-06-04 18:00", "2024-06-04 19:00"),
        _session("s3", "2024-06-05 18:00", "2024-06-05 19:00"),
    ]
    bookings = [
        ("2024-06-03 18:00", "19:00", 0, 0, "ev"),  # s1's own attendees
        ("2024-06-04 18:30", "19:30"),  # another event overlaps s2
        ("2024-06-05 19:10", "19:40"),  # starts within s3's 15-minute after-buffer
    ]
    slots = compute_slots(
        _event(buffer_after=15), [_host(bookings)], now=NOW, sessions=sessions, **RANGE
    )
    assert _show(slots) == ["Mon-18:00/s1:3"]


def test_sessions_obey_notice_and_window() -> None:
    """Zone New York, now Mon 2024-06-03 16:30: 2h notice and a 2-day window."""
    now = at(NY, "2024-06-03 16:30")
    sessions = [
        _session("soon", "2024-06-03 18:00", "2024-06-03 19:00"),
        _session("ok", "2024-06-03 18:30", "2024-06-03 19:30"),
        _session("last", "2024-06-05 23:00", "2024-06-06 00:00"),
        _session("late", "2024-06-05 23:30", "2024-06-06 00:30"),
    ]
    ev = _event(min_notice_hours=2, booking_window_days=2)
    slots = compute_slots(ev, [_host()], now=now, sessions=sessions, **RANGE)
    assert _show(slots) == ["Mon-18:30/ok:5", "Wed-23:00/last:5"]


def test_daily_limit_hides_new_sessions_but_not_ones_already_booked() -> None:
    """Zone New York, now Sat 2024-06-01 09:00: host max 1 meeting a day."""
    sessions = [
        _session("booked", "2024-06-03 18:00", "2024-06-03 19:00", None, 1),
        _session("empty", "2024-06-03 20:00", "2024-06-03 21:00"),
        _session("other-day", "2024-06-04 20:00", "2024-06-04 21:00"),
    ]
    bookings = [("2024-06-03 18:00", "19:00", 0, 0, "ev")]
    slots = compute_slots(
        _event(), [_host(bookings, max_per_day=1)], now=NOW, sessions=sessions, **RANGE
    )
    assert _show(slots) == ["Mon-18:00/booked:4", "Tue-20:00/other-day:5"]


def test_guests_take_seats_when_checking_a_session() -> None:
    """Zone New York, now Sat 2024-06-01 09:00: a booking with g guests needs 1+g seats."""
    sessions = [_session("s1", "2024-06-03 18:00", "2024-06-03 19:00", 5, 3)]
    ev = _event(allow_guests=True, guest_limit=3)
    start = at(NY, "2024-06-03 18:00")
    slot = check_slot(ev, [_host()], now=NOW, start=start, sessions=sessions, guests=1)
    assert (slot.session_id, slot.seats_remaining) == ("s1", 2)
    with pytest.raises(SlotUnavailable) as err:
        check_slot(ev, [_host()], now=NOW, start=start, sessions=sessions, guests=2)
    assert err.value.reason == "session_full"
    with pytest.raises(TooManyGuests):
        check_slot(ev, [_host()], now=NOW, start=start, sessions=sessions, guests=4)
    with pytest.raises(GuestsNotAllowed):
        check_slot(_event(), [_host()], now=NOW, start=start, sessions=sessions, guests=1)


@pytest.mark.parametrize(
    ("start", "now", "bookings", "limits", "reason"),
    [
        ("2024-06-03 18:30", "2024-06-01 09:00", (), {}, "not_on_grid"),
        ("2024-06-03 18:00", "2024-06-03 17:30", (), {}, "too_soon"),
        ("2024-06-03 18:00", "2024-06-01 09:00", (("2024-06-03 18:30", "19:30"),), {}, "busy"),
        (
            "2024-06-03 18:00",
            "2024-06-01 09:00",
            (("2024-06-03 08:00", "08:30"),),
            {"max_per_day": 1},
            "limit_reached",
        ),
        ("2024-06-05 18:00", "2024-06-01 09:00", (), {}, "outside_window"),
    ],
)
def test_check_session_reasons(start, now, bookings, limits, reason) -> None:
    """Zone New York: each way a session can be refused gives its precise reason."""
    sessions = [
        _session("s1", "2024-06-03 18:00", "2024-06-03 19:00"),
        _session("s2", "2024-06-05 18:00", "2024-06-05 19:00"),
    ]
    ev = _event(min_notice_hours=1, booking_window_days=3)
    with pytest.raises(SlotUnavailable) as err:
        check_slot(
            ev, [_host(bookings, **limits)], now=at(NY, now), start=at(NY, start), sessions=sessions
        )
    assert err.value.reason == reason


def test_recurring_expansion_keeps_wall_time_across_london_autumn_change() -> None:
    """Zone Europe/London: Mon/Wed 18:00 sessions are 17:00Z before and 18:00Z after Oct 27."""
    pattern = RecurringPattern(
        pattern_id="yoga",
        weekdays=(0, 2),
        start_time=time(18),
        duration_minutes=60,
        timezone="Europe/London",
        capacity=12,
    )
    got = expand_recurring_sessions(
        pattern, date(2024, 10, 21), date(2024, 10, 30), seats_taken={"yoga:2024-10-23": 5}
    )
    assert [
        (s.session_id, s.start.astimezone(UTC).strftime("%d %H:%M"), s.seats_taken) for s in got
    ] == [
        ("yoga:2024-10-21", "21 17:00", 0),
        ("yoga:2024-10-23", "23 17:00", 5),
        ("yoga:2024-10-28", "28 18:00", 0),
        ("yoga:2024-10-30", "30 18:00", 0),
    ]
    assert all(s.end - s.start == got[0].end - got[0].start for s in got)
    assert got[0].capacity == 12


def test_recurring_expansion_skips_nonexistent_and_takes_first_repeated_time() -> None:
    """Zone America/New_York: Sunday 02:30 is skipped on 2024-03-10; 01:30 on 2024-11-03 is EDT."""
    spring = RecurringPattern(
        pattern_id="p", weekdays=(6,), start_time=time(2, 30), duration_minutes=30, timezone=NY
    )
    got = expand_recurring_sessions(spring, date(2024, 3, 3), date(2024, 3, 17))
    assert [s.session_id for s in got] == ["p:2024-03-03", "p:2024-03-17"]
    autumn = RecurringPattern(
        pattern_id="q", weekdays=(6,), start_time=time(1, 30), duration_minutes=30, timezone=NY
    )
    (only,) = expand_recurring_sessions(autumn, date(2024, 11, 3), date(2024, 11, 3))
    assert only.start == datetime(2024, 11, 3, 5, 30, tzinfo=UTC)


def test_expanded_sessions_feed_compute_slots() -> None:
    """Zone New York, now Sat 2024-06-01 09:00: a full expanded session is not offered."""
    pattern = RecurringPattern(
        pattern_id="p",
        weekdays=(0, 1),
        start_time=time(18),
        duration_minutes=60,
        timezone=NY,
        capacity=2,
    )
    sessions = expand_recurring_sessions(
        pattern, date(2024, 6, 3), date(2024, 6, 4), seats_taken={"p:2024-06-03": 2}
    )
    slots = compute_slots(_event(), [_host()], now=NOW, sessions=sessions, **RANGE)
    assert _show(slots) == ["Tue-18:00/p:2024-06-04:2"]
