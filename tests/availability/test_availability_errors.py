"""Bad input and refused slots raise specific errors with codes and user-facing messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from scheduling.availability import (
    AvailabilityError,
    BusyBlock,
    DateOverride,
    EventSpec,
    GroupSession,
    GuestsNotAllowed,
    HostAvailability,
    Interval,
    InvalidInput,
    InvalidRange,
    MeetingType,
    NaiveDatetime,
    RecurringPattern,
    Schedule,
    SlotUnavailable,
    TooManyGuests,
    UnknownTimezone,
    WeeklyRule,
    check_guests,
    check_slot,
    compute_slots,
    expand_recurring_sessions,
)
from tests.availability.availability_helpers import at, booking, event, schedule

NY = "America/New_York"
NOW = at(NY, "2024-06-03 08:00")  # Monday 08:00 New York


def _host(host_id: str = "h", bookings=(), **kw) -> HostAvailability:
    """New York host, weekdays 09:00-12:00."""
    return HostAvailability(
        host_id=host_id,
        timezone=NY,
        schedule=schedule(NY, {"mon-fri": "09:00-12:00"}),
        busy=tuple(booking(NY, b, n) for n, b in enumerate(bookings)),
        **kw,
    )


def test_hierarchy_codes_and_messages() -> None:
    """Every error is an AvailabilityError (a ValueError) with a stable code and a message."""
    cases = {
        UnknownTimezone("Mars/Base"): "unknown_timezone",
        InvalidRange(): "invalid_range",
        NaiveDatetime("now"): "naive_datetime",
        InvalidInput(): "invalid_input",
        SlotUnavailable("busy"): "slot_unavailable",
        TooManyGuests(2, 3): "too_many_guests",
        GuestsNotAllowed(): "guests_not_allowed",
    }
    for err, code in cases.items():
        assert isinstance(err, AvailabilityError)
        assert isinstance(err, ValueError)
        assert err.code == code
        assert str(err) == err.message and err.message.endswith(".")
    assert isinstance(NaiveDatetime("x"), InvalidRange)
    assert "Mars/Base" in str(UnknownTimezone("Mars/Base"))
    assert SlotUnavailable("busy").message == "That time is no longer available."
    assert TooManyGuests(2, 3).limit == 2


@pytest.mark.parametrize(
    "build",
    [
        lambda: Schedule("Mars/Olympus_Mons"),
        lambda: Schedule(""),
        lambda: event("America/Nowhere"),
        lambda: HostAvailability(host_id="h", timezone="Europe/Atlantis", schedule=Schedule("UTC")),
        lambda: RecurringPattern(
            pattern_id="p",
            weekdays=(0,),
            start_time=time(9),
            duration_minutes=30,
            timezone="../etc/passwd",
        ),
    ],
)
def test_unknown_timezone(build) -> None:
    """Unknown IANA names are rejected when the input is built."""
    with pytest.raises(UnknownTimezone) as err:
        build()
    assert err.value.code == "unknown_timezone"


@pytest.mark.parametrize(
    "build",
    [
        lambda: WeeklyRule(0, time(17), time(9)),  # overnight
        lambda: WeeklyRule(0, time(9), time(9)),
        lambda: DateOverride(date(2024, 6, 3), ((time(12), time(11)),)),
        lambda: Interval(datetime(2024, 6, 3, 10, tzinfo=UTC), datetime(2024, 6, 3, 9, tzinfo=UTC)),
        lambda: BusyBlock(
            "b", "e", datetime(2024, 6, 3, 10, tzinfo=UTC), datetime(2024, 6, 3, 9, tzinfo=UTC)
        ),
        lambda: GroupSession(
            "s", datetime(2024, 6, 3, 10, tzinfo=UTC), datetime(2024, 6, 3, 10, tzinfo=UTC)
        ),
        lambda: compute_slots(event(NY), [_host()], now=NOW, start=NOW, end=NOW),
        lambda: expand_recurring_sessions(
            RecurringPattern(
                pattern_id="p", weekdays=(0,), start_time=time(9), duration_minutes=30, timezone=NY
            ),
            date(2024, 6, 3),
            date(2024, 6, 2),
        ),
    ],
)
def test_invalid_range(build) -> None:
    """Reversed or empty ranges (and overnight working hours) raise InvalidRange."""
    with pytest.raises(InvalidRange):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: compute_slots(
            event(NY),
            [_host()],
            now=datetime(2024, 6, 3, 8),
            start=NOW,
            end=NOW + timedelta(days=1),
        ),
        lambda: compute_slots(
            event(NY), [_host()], now=NOW, start=datetime(2024, 6, 3), end=NOW + timedelta(days=1)
        ),
        lambda: check_slot(event(NY), [_host()], now=NOW, start=datetime(2024, 6, 3, 10)),
        lambda: Interval(datetime(2024, 6, 3, 9), datetime(2024, 6, 3, 10)),
        lambda: BusyBlock("b", "e", datetime(2024, 6, 3, 9), datetime(2024, 6, 3, 10)),
    ],
)
def test_naive_datetimes_rejected(build) -> None:
    """Datetimes without a zone raise NaiveDatetime (an InvalidRange)."""
    with pytest.raises(NaiveDatetime) as err:
        build()
    assert err.value.code == "naive_datetime"


@pytest.mark.parametrize(
    "build",
    [
        lambda: event(NY, duration_minutes=0),
        lambda: event(NY, increment_minutes=0),
        lambda: event(NY, buffer_before=-5),
        lambda: event(NY, buffer_after=2.5),
        lambda: event(NY, capacity=0),
        lambda: event(NY, min_notice_hours=-1),
        lambda: EventSpec(
            event_id="e", meeting_type="one_on_one", duration_minutes=30, display_timezone=NY
        ),
        lambda: WeeklyRule(7, time(9), time(10)),
        lambda: _host(max_per_day=-1),
        lambda: Schedule(NY, (), (DateOverride(date(2024, 6, 3)), DateOverride(date(2024, 6, 3)))),
        lambda: compute_slots(
            event(NY), [_host("a"), _host("b")], now=NOW, start=NOW, end=NOW + timedelta(days=1)
        ),
        lambda: compute_slots(
            event(NY, "collective"),
            [_host("a"), _host("a")],
            now=NOW,
            start=NOW,
            end=NOW + timedelta(days=1),
        ),
        lambda: compute_slots(event(NY), [], now=NOW, start=NOW, end=NOW + timedelta(days=1)),
        lambda: check_guests(event(NY), -1),
    ],
)
def test_invalid_input(build) -> None:
    """Values outside their domain raise InvalidInput."""
    with pytest.raises(InvalidInput):
        build()


def test_check_guests() -> None:
    """Zero guests always pass; otherwise guests must be allowed and within the limit."""
    closed = event(NY)
    open_ = event(NY, allow_guests=True, guest_limit=2)
    unlimited = event(NY, allow_guests=True)
    assert check_guests(closed, 0) == 1
    assert check_guests(open_, 2) == 3
    assert check_guests(unlimited, 40) == 41
    with pytest.raises(GuestsNotAllowed) as not_allowed:
        check_guests(closed, 1)
    assert not_allowed.value.code == "guests_not_allowed"
    with pytest.raises(TooManyGuests) as too_many:
        check_guests(open_, 3)
    assert (too_many.value.limit, too_many.value.requested) == (2, 3)
    assert "2 guest" in too_many.value.message


# check_slot: zone New York, now Monday 2024-06-03 08:00, hours 09:00-12:00, 60-minute slots.
REASONS = [
    ("2024-06-03 09:30", {}, (), {}, "not_on_grid"),
    ("2024-06-03 14:00", {}, (), {}, "outside_hours"),
    ("2024-06-03 08:30", {}, (), {}, "outside_hours"),
    ("2024-06-03 09:00", {"min_notice_hours": 2}, (), {}, "too_soon"),
    ("2024-06-02 09:00", {}, (), {}, "too_soon"),
    ("2024-06-06 09:00", {"booking_window_days": 2}, (), {}, "outside_window"),
    ("2024-06-03 10:00", {}, (("2024-06-03 10:30", "11:00"),), {}, "busy"),
    ("2024-06-03 10:00", {"buffer_after": 15}, (("2024-06-03 11:10", "11:30"),), {}, "busy"),
    ("2024-06-03 10:00", {}, (("2024-06-03 19:00", "19:30"),), {"max_per_day": 1}, "limit_reached"),
    (
        "2024-06-03 10:00",
        {"max_per_week": 1},
        (("2024-06-07 19:00", "19:30", 0, 0, "ev"),),
        {},
        "limit_reached",
    ),
]


@pytest.mark.parametrize(("start", "ev_kw", "bookings", "host_kw", "reason"), REASONS)
def test_check_slot_reasons(start, ev_kw, bookings, host_kw, reason) -> None:
    """Each refusal names its precise reason and a user-facing message."""
    ev = event(NY, duration_minutes=60, **ev_kw)
    with pytest.raises(SlotUnavailable) as err:
        check_slot(ev, [_host(bookings=bookings, **host_kw)], now=NOW, start=at(NY, start))
    assert err.value.reason == reason
    assert err.value.code == "slot_unavailable"
    assert err.value.message


def test_check_slot_returns_the_computed_slot() -> None:
    """Zone New York, now Mon 2024-06-03 08:00: an offered start comes back as the same Slot."""
    ev = event(NY, duration_minutes=60)
    host = _host(bookings=[("2024-06-03 09:00", "09:40")])
    slots = compute_slots(ev, [host], now=NOW, start=NOW, end=NOW + timedelta(days=1))
    assert [s.start.astimezone(UTC).hour for s in slots] == [14, 15]  # 10:00 and 11:00 EDT
    for slot in slots:
        assert check_slot(ev, [host], now=NOW, start=slot.start) == slot
    assert check_slot(ev, [host], now=NOW, start=at(NY, "2024-06-03 10:00")) == slots[0]


def test_check_slot_sub_second_start_is_not_on_grid() -> None:
    """Zone New York, now Mon 2024-06-03 08:00: 10:00:00.5 is not the 10:00 slot."""
    ev = event(NY, duration_minutes=60)
    with pytest.raises(SlotUnavailable) as err:
        check_slot(
            ev,
            [_host()],
            now=NOW,
            start=at(NY, "2024-06-03 10:00") + timedelta(microseconds=500_000),
        )
    assert err.value.reason == "not_on_grid"


def test_check_slot_union_lists_eligible_hosts_and_refuses_when_none_free() -> None:
    """Zone New York, now Mon 2024-06-03 08:00: round robin re-check keeps the host list."""
    ev = event(NY, "round_robin", duration_minutes=60)
    a = _host("a")
    b = _host("b", bookings=[("2024-06-03 10:00", "11:00")])
    assert check_slot(ev, [a, b], now=NOW, start=at(NY, "2024-06-03 09:00")).host_ids == ("a", "b")
    assert check_slot(ev, [a, b], now=NOW, start=at(NY, "2024-06-03 10:00")).host_ids == ("a",)
    a_busy = _host("a", bookings=[("2024-06-03 10:00", "11:00")])
    with pytest.raises(SlotUnavailable) as err:
        check_slot(ev, [a_busy, b], now=NOW, start=at(NY, "2024-06-03 10:00"))
    assert err.value.reason == "busy"


def test_check_slot_collective_outside_one_hosts_hours() -> None:
    """Zone New York, now Mon 2024-06-03 08:00: collective needs every host's hours."""
    ev = event(NY, "collective", duration_minutes=60)
    early = HostAvailability(
        host_id="e", timezone=NY, schedule=schedule(NY, {"mon-fri": "07:00-10:00"})
    )
    with pytest.raises(SlotUnavailable) as err:
        check_slot(ev, [_host(), early], now=NOW, start=at(NY, "2024-06-03 10:00"))
    assert err.value.reason == "outside_hours"
    assert check_slot(ev, [_host(), early], now=NOW, start=at(NY, "2024-06-03 09:00")).host_ids == (
        "h",
        "e",
    )


def test_meeting_type_is_a_str_enum() -> None:
    """Meeting types round-trip through their stored string values."""
    assert MeetingType("round_robin") is MeetingType.ROUND_ROBIN
    assert [m.value for m in MeetingType] == [
        "one_on_one",
        "group",
        "collective",
        "round_robin",
        "panel",
    ]
