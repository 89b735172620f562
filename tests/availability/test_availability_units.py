"""Building blocks checked against brute force: zone tables, interval sweeps, helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.availability import (
    DateOverride,
    GroupSession,
    HostAvailability,
    Schedule,
    SlotUnavailable,
    WeeklyRule,
    check_slot,
    compute_slots,
    occupied_range,
    union_slots,
)
from scheduling.availability.context import alignment_minutes
from scheduling.availability.intervals import intersect, merge, subtract
from scheduling.availability.zones import DAY, ZoneClock, day_base, load_zone, zone_clock
from tests.availability.availability_helpers import at, event, schedule

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "America/Santiago",
    "Pacific/Chatham",
    "UTC",
]
BASE = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp())
YEAR = 366 * DAY


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), st.integers(0, YEAR - 40 * DAY), st.integers(0, 40 * DAY))
def test_zone_clock_offsets_match_zoneinfo(key: str, lo: int, probe: int) -> None:
    """Offsets from the sampled table equal zoneinfo's at any instant in the range."""
    zone = load_zone(key)
    clock = ZoneClock(zone, BASE + lo, BASE + lo + 40 * DAY)
    t = BASE + lo + probe
    expected = datetime.fromtimestamp(t, zone).utcoffset()
    assert expected is not None
    assert clock.offset(t) == int(expected.total_seconds())


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), st.integers(0, YEAR - 40 * DAY), st.integers(1, 40 * DAY))
def test_shared_zone_clock_answers_as_a_table_of_exactly_its_range(
    key: str, lo: int, length: int
) -> None:
    """The shared table over [lo, hi] (built over whole blocks around it) has the offsets and
    day starts of a table built over exactly [lo, hi], and is one object for every range in the
    same blocks."""
    lo, hi = BASE + lo, BASE + lo + length
    shared, exact = zone_clock(key, lo, hi), ZoneClock(load_zone(key), lo, hi)
    assert zone_clock(key, lo + 1, hi) is shared
    for t in range(lo, hi + 1, max(1, length // 97)):
        assert shared.offset(t) == exact.offset(t)
    first_day = (lo + DAY) // DAY + date(1970, 1, 1).toordinal()
    assert shared.day_start(first_day) == exact.day_start(first_day)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ZONES), st.integers(0, 365), st.integers(0, 95), st.integers(1, 96))
def test_zone_clock_to_utc_is_exactly_the_instants_with_that_wall_time(
    key: str, day: int, q_start: int, q_len: int
) -> None:
    """to_utc covers every minute whose local date and wall time are in the range, no other."""
    zone = ZoneInfo(key)
    ordinal = datetime(2024, 1, 1).toordinal() + day
    base = day_base(ordinal)
    ls, le = base + q_start * 900, min(base + DAY, base + (q_start + q_len) * 900)
    clock = ZoneClock(zone, base - 3 * DAY, base + 3 * DAY)
    pieces = clock.to_utc(ls, le)
    covered = {t for a, b in pieces for t in range(a, b, 60)}
    brute = set()
    for t in range(base - 15 * 3600, base + DAY + 15 * 3600, 60):
        off = datetime.fromtimestamp(t, zone).utcoffset()
        assert off is not None
        if ls <= t + int(off.total_seconds()) < le:
            brute.add(t)
    assert covered == brute


@pytest.mark.parametrize(
    ("key", "date", "expected"),
    [
        ("America/New_York", "2024-03-10", "2024-03-10T05:00:00+00:00"),
        ("America/Santiago", "2024-09-08", "2024-09-08T04:00:00+00:00"),  # 00:00 is skipped
        ("Asia/Kolkata", "2024-06-03", "2024-06-02T18:30:00+00:00"),
    ],
)
def test_day_start(key: str, date: str, expected: str) -> None:
    """A day starts at its first existing instant (01:00 when midnight is skipped)."""
    ordinal = datetime.fromisoformat(date).toordinal()
    clock = ZoneClock(load_zone(key), day_base(ordinal) - 3 * DAY, day_base(ordinal) + 3 * DAY)
    assert datetime.fromtimestamp(clock.day_start(ordinal), UTC).isoformat() == expected


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=8).map(
    lambda xs: [(a, a + n) for a, n in xs]
)


def _points(items: list[tuple[int, int]]) -> set[int]:
    """Every integer point covered by half-open spans."""
    return {t for a, b in items for t in range(a, b)}


@settings(max_examples=300, deadline=None)
@given(spans, spans)
def test_interval_sweeps_match_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    """merge/subtract/intersect agree with set arithmetic and stay sorted and disjoint."""
    ma, mb = merge(a), merge(b)
    assert _points(ma) == _points(a)
    for result, expected in (
        (subtract(ma, mb), _points(a) - _points(b)),
        (intersect(ma, mb), _points(a) & _points(b)),
    ):
        assert _points(result) == expected
        assert all(s < e for s, e in result)
        assert all(x[1] <= y[0] for x, y in pairwise(result))


@pytest.mark.parametrize(
    ("increment", "align"),
    [
        (60, 60),
        (120, 60),
        (90, 30),
        (45, 15),
        (40, 20),
        (50, 10),
        (25, 5),
        (35, 5),
        (7, 1),
        (30, 30),
        (20, 20),
        (15, 15),
        (10, 10),
        (5, 5),
    ],
)
def test_alignment(increment: int, align: int) -> None:
    """Grid alignment is the largest of 60/30/20/15/10/5 dividing the increment, else 1."""
    assert alignment_minutes(increment) == align


def test_occupied_range_uses_event_or_host_default_buffers() -> None:
    """Zone New York: the stored occupied span includes the effective buffers."""
    ny = "America/New_York"
    host = HostAvailability(
        host_id="h",
        timezone=ny,
        schedule=schedule(ny, {}),
        default_buffer_before=10,
        default_buffer_after=20,
    )
    start, end = at(ny, "2024-06-03 10:00"), at(ny, "2024-06-03 10:30")
    assert occupied_range(event(ny), host, start, end) == (
        start - timedelta(minutes=10),
        end + timedelta(minutes=20),
    )
    assert occupied_range(event(ny, buffer_before=0, buffer_after=5), host, start, end) == (
        start,
        end + timedelta(minutes=5),
    )


def test_round_robin_compute_slots_is_union_slots_and_outputs_are_utc() -> None:
    """Zone New York, now Sat 2024-06-01: round robin dispatches to the union in aware UTC."""
    ny = "America/New_York"
    hosts = [
        HostAvailability(host_id=i, timezone=ny, schedule=schedule(ny, {"mon": hours}))
        for i, hours in ((1, "09:00-11:00"), (2, "10:00-12:00"))
    ]
    kw = {
        "now": at(ny, "2024-06-01 00:00"),
        "start": at(ny, "2024-06-03 00:00"),
        "end": at(ny, "2024-06-04 00:00"),
    }
    rr = compute_slots(event(ny, "round_robin", duration_minutes=60), hosts, **kw)
    assert rr == union_slots(event(ny, "collective", duration_minutes=60), hosts, **kw)
    assert [(s.start.hour, s.host_ids) for s in rr] == [(13, (1,)), (14, (1, 2)), (15, (2,))]
    assert all(s.start.tzinfo is UTC and s.end.tzinfo is UTC for s in rr)
    assert all(s.seats_remaining == 1 and s.session_id is None for s in rr)


def test_list_inputs_are_stored_as_tuples() -> None:
    """Lists given for tuple fields are frozen, so inputs stay hashable and immutable."""
    sched = Schedule(
        "UTC",
        [WeeklyRule(0, time(9), time(10))],  # type: ignore[arg-type]
        [DateOverride(date(2024, 6, 4), [[time(9), time(10)]])],  # type: ignore[list-item]
    )
    assert sched.weekly == (WeeklyRule(0, time(9), time(10)),)
    assert sched.overrides[0].intervals == ((time(9), time(10)),)
    assert hash(sched) == hash(Schedule("UTC", sched.weekly, sched.overrides))
    host = HostAvailability(host_id=1, timezone="UTC", schedule=sched, busy=[])  # type: ignore[arg-type]
    assert host.busy == ()


def test_group_check_slot_needs_the_exact_session_start() -> None:
    """Zone UTC, now 2024-06-01 00:00: a start a microsecond late is not the session."""
    sched = Schedule("UTC")
    host = HostAvailability(host_id="h", timezone="UTC", schedule=sched)
    start = datetime(2024, 6, 3, 18, tzinfo=UTC)
    session = GroupSession("s", start, start + timedelta(hours=1))
    ev = event("UTC", "group", duration_minutes=60, capacity=3)
    now = datetime(2024, 6, 1, tzinfo=UTC)
    assert check_slot(ev, [host], now=now, start=start, sessions=[session]).seats_remaining == 3
    with pytest.raises(SlotUnavailable) as err:
        check_slot(ev, [host], now=now, start=start + timedelta(microseconds=1), sessions=[session])
    assert err.value.reason == "not_on_grid"
