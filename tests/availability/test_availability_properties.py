"""Hypothesis properties of compute_slots, checked against independent zoneinfo oracles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.availability import (
    BusyBlock,
    DateOverride,
    EventSpec,
    HostAvailability,
    Interval,
    MeetingType,
    Schedule,
    Slot,
    SlotUnavailable,
    WeeklyRule,
    check_slot,
    compute_slots,
)

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "UTC",
]
# Mondays-ish around DST changes in the zones above, plus a quiet week.
BASES = [
    date(2024, 3, 8),
    date(2024, 3, 29),
    date(2024, 4, 5),
    date(2024, 10, 4),
    date(2024, 10, 25),
    date(2024, 11, 1),
    date(2024, 6, 3),
]
SPAN_DAYS = 5
MIN = timedelta(minutes=1)
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Case:
    """One generated world: event, hosts, now and query range."""

    event: EventSpec
    hosts: tuple[HostAvailability, ...]
    now: datetime
    start: datetime
    end: datetime


@st.composite
def wall_ranges(draw: st.DrawFn, max_size: int = 2) -> tuple[tuple[time, time], ...]:
    """Up to max_size same-day wall ranges on a 15-minute raster."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        a = draw(st.integers(0, 94))
        b = draw(st.integers(a + 1, 96))
        end = time(23, 59) if b == 96 else time(b // 4, b % 4 * 15)
        out.append((time(a // 4, a % 4 * 15), end))
    return tuple(out)


@st.composite
def hosts(draw: st.DrawFn, base: datetime, host_id: str) -> HostAvailability:
    """A host with random hours, overrides, bookings, external busy, time off and limits."""
    zone = draw(st.sampled_from(ZONES))
    weekly = tuple(WeeklyRule(d, a, b) for d in range(7) for a, b in draw(wall_ranges()))
    override_days = draw(st.sets(st.integers(0, SPAN_DAYS), max_size=2))
    overrides = tuple(
        DateOverride(base.date() + timedelta(days=d), draw(wall_ranges()))
        for d in sorted(override_days)
    )

    def moment() -> datetime:
        """A 5-minute-raster instant from a day before to a day after the range."""
        return base + timedelta(minutes=5 * draw(st.integers(-288, 288 * (SPAN_DAYS + 1))))

    busy = []
    for n in range(draw(st.integers(0, 10))):
        s = moment()
        busy.append(
            BusyBlock(
                f"{host_id}-{n}",
                draw(st.sampled_from(["ev", "other"])),
                s,
                s + timedelta(minutes=draw(st.integers(5, 180))),
                draw(st.integers(0, 30)),
                draw(st.integers(0, 30)),
            )
        )
    external = tuple(
        Interval(s, s + timedelta(minutes=draw(st.integers(5, 240))))
        for s in (moment() for _ in range(draw(st.integers(0, 3))))
    )
    time_off = tuple(
        Interval(s, s + timedelta(minutes=draw(st.integers(30, 2880))))
        for s in (moment() for _ in range(draw(st.integers(0, 1))))
    )
    return HostAvailability(
        host_id=host_id,
        timezone=draw(st.sampled_from([zone, *ZONES])),
        schedule=Schedule(zone, weekly, overrides),
        busy=tuple(busy),
        external_busy=external,
        time_off=time_off,
        max_per_day=draw(st.none() | st.integers(1, 3)),
        max_per_week=draw(st.none() | st.integers(1, 6)),
        default_buffer_before=draw(st.integers(0, 20)),
        default_buffer_after=draw(st.integers(0, 20)),
    )


@st.composite
def cases(draw: st.DrawFn, kind: MeetingType = MeetingType.ONE_ON_ONE, n_hosts: int = 1) -> Case:
    """A random event, its hosts, a `now` and a query range of SPAN_DAYS days."""
    base = datetime.combine(draw(st.sampled_from(BASES)), time(), UTC)
    duration = draw(st.sampled_from([10, 15, 20, 25, 30, 45, 60, 90]))
    event = EventSpec(
        event_id="ev",
        meeting_type=kind,
        duration_minutes=duration,
        display_timezone=draw(st.sampled_from(ZONES)),
        increment_minutes=draw(st.none() | st.sampled_from([5, 7, 10, 15, 20, 30, 45, 60])),
        buffer_before=draw(st.none() | st.integers(0, 30)),
        buffer_after=draw(st.none() | st.integers(0, 30)),
        min_notice_hours=draw(st.sampled_from([0, 0.5, 1, 4, 24, 48])),
        booking_window_days=draw(st.none() | st.integers(0, 6)),
        max_per_day=draw(st.none() | st.integers(1, 4)),
        max_per_week=draw(st.none() | st.integers(1, 8)),
    )
    group = tuple(draw(hosts(base, f"h{i}")) for i in range(n_hosts))
    now = base + timedelta(minutes=draw(st.integers(-1440, 1440 * 3)))
    return Case(event, group, now, base, base + timedelta(days=SPAN_DAYS))


def buffers(event: EventSpec, host: HostAvailability) -> tuple[timedelta, timedelta]:
    """The event's effective buffers for a host."""
    before = host.default_buffer_before if event.buffer_before is None else event.buffer_before
    after = host.default_buffer_after if event.buffer_after is None else event.buffer_after
    return timedelta(minutes=before), timedelta(minutes=after)


def in_hours(host: HostAvailability, start: datetime, end: datetime) -> bool:
    """Every minute of [start, end) has a local wall time inside that local date's hours."""
    zone = ZoneInfo(host.schedule.timezone)
    overrides = {o.day: o.intervals for o in host.schedule.overrides}
    t = start
    while t < end:
        local = t.astimezone(zone)
        rules = overrides.get(local.date())
        if rules is None:
            rules = tuple(
                (r.start, r.end) for r in host.schedule.weekly if r.weekday == local.weekday()
            )
        wall = local.time().replace(tzinfo=None)
        if not any(a <= wall < b for a, b in rules):
            return False
        t += MIN
    return True


def clashes(event: EventSpec, host: HostAvailability, start: datetime, end: datetime) -> bool:
    """Whether the slot with its buffers meets anything the host has occupied."""
    before, after = buffers(event, host)
    lo, hi = start - before, end + after
    for b in host.busy:
        if b.start - timedelta(minutes=b.buffer_before) < hi and lo < b.end + timedelta(
            minutes=b.buffer_after
        ):
            return True
    return any(i.start < hi and lo < i.end for i in (*host.external_busy, *host.time_off))


def window_end(event: EventSpec, now: datetime) -> datetime | None:
    """Midnight after the Nth day after today in the display zone, via zoneinfo."""
    if event.booking_window_days is None:
        return None
    zone = ZoneInfo(event.display_timezone)
    last = now.astimezone(zone).date() + timedelta(days=event.booking_window_days + 1)
    return datetime.combine(last, time(), zone).astimezone(UTC)


def _common_checks(case: Case, slots: list[Slot]) -> None:
    """Sorted unique starts, right length, aware UTC, notice and window respected."""
    ev = case.event
    starts = [s.start for s in slots]
    assert starts == sorted(set(starts))
    earliest = case.now + timedelta(hours=ev.min_notice_hours)
    last = window_end(ev, case.now)
    for s in slots:
        assert s.start.utcoffset() == timedelta(0)
        assert s.end - s.start == timedelta(minutes=ev.duration_minutes)
        assert case.start <= s.start < case.end
        assert s.start >= earliest
        assert last is None or s.end <= last


@SETTINGS
@given(cases())
def test_one_on_one_slots_are_free_in_hours_and_inside_notice_and_window(case: Case) -> None:
    """No slot meets buffered busy time, leaves working hours, or breaks notice/window."""
    slots = compute_slots(case.event, case.hosts, now=case.now, start=case.start, end=case.end)
    _common_checks(case, slots)
    (host,) = case.hosts
    for s in slots:
        assert s.host_ids == (host.host_id,)
        assert in_hours(host, s.start, s.end)
        assert not clashes(case.event, host, s.start, s.end)


@SETTINGS
@given(cases(MeetingType.COLLECTIVE, 3))
def test_collective_slots_are_free_for_every_host(case: Case) -> None:
    """Each collective slot lies in every host's hours and clears every host's busy time."""
    slots = compute_slots(case.event, case.hosts, now=case.now, start=case.start, end=case.end)
    _common_checks(case, slots)
    for s in slots:
        assert s.host_ids == tuple(h.host_id for h in case.hosts)
        for host in case.hosts:
            assert in_hours(host, s.start, s.end)
            assert not clashes(case.event, host, s.start, s.end)


def _host_limited(host: HostAvailability, start: datetime) -> bool:
    """Whether the host's own day/week count (host zone) reached a limit at start."""
    zone = ZoneInfo(host.timezone)
    day = start.astimezone(zone).date()
    days = [b.start.astimezone(zone).date() for b in host.busy]
    per_day = sum(d == day for d in days)
    per_week = sum(d.isocalendar()[:2] == day.isocalendar()[:2] for d in days)
    return (host.max_per_day is not None and per_day >= host.max_per_day) or (
        host.max_per_week is not None and per_week >= host.max_per_week
    )


@SETTINGS
@given(cases(MeetingType.ROUND_ROBIN, 3))
def test_union_lists_exactly_the_hosts_free_for_each_slot(case: Case) -> None:
    """A listed host is free (hours, busy, limits); an unlisted host is not."""
    slots = compute_slots(case.event, case.hosts, now=case.now, start=case.start, end=case.end)
    _common_checks(case, slots)
    for s in slots:
        assert s.host_ids
        for host in case.hosts:
            free = (
                in_hours(host, s.start, s.end)
                and not clashes(case.event, host, s.start, s.end)
                and not _host_limited(host, s.start)
            )
            assert free == (host.host_id in s.host_ids), (host.host_id, s)


def _book(host: HostAvailability, slot: Slot, n: int) -> HostAvailability:
    """The host with one more booking of the event at the slot."""
    block = BusyBlock(f"new-{n}", "ev", slot.start, slot.end)
    return replace(host, busy=(*host.busy, block))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_greedy_booking_never_exceeds_limits(case: Case) -> None:
    """Booking the first offered slot again and again never pushes a day/week past a limit."""
    ev = replace(case.event, max_per_day=case.event.max_per_day or 2)
    (host,) = case.hosts
    host = replace(host, max_per_day=host.max_per_day or 3)
    booked: list[Slot] = []
    for n in range(12):
        slots = compute_slots(ev, [host], now=case.now, start=case.start, end=case.end)
        if not slots:
            break
        booked.append(slots[0])
        host = _book(host, slots[0], n)
    host_zone, ev_zone = ZoneInfo(host.timezone), ZoneInfo(ev.display_timezone)
    checks = [
        (host_zone, [b.start for b in host.busy], host.max_per_day, host.max_per_week),
        (
            ev_zone,
            [b.start for b in host.busy if b.event_id == "ev"],
            ev.max_per_day,
            ev.max_per_week,
        ),
    ]
    for zone, starts, per_day, per_week in checks:
        days = Counter(t.astimezone(zone).date() for t in starts)
        weeks = Counter(d.isocalendar()[:2] for d in (t.astimezone(zone).date() for t in starts))
        for slot in booked:
            d = slot.start.astimezone(zone).date()
            assert per_day is None or days[d] <= per_day
            assert per_week is None or weeks[d.isocalendar()[:2]] <= per_week


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(0, SPAN_DAYS * 24 * 12 - 1))
def test_check_slot_agrees_with_compute_slots(case: Case, probe: int) -> None:
    """check_slot returns each offered slot and refuses a start that is not offered."""
    slots = compute_slots(case.event, case.hosts, now=case.now, start=case.start, end=case.end)
    for slot in slots[:: max(1, len(slots) // 4)]:
        assert check_slot(case.event, case.hosts, now=case.now, start=slot.start) == slot
    start = case.start + timedelta(minutes=5 * probe)
    offered = {s.start for s in slots}
    if start in offered:
        return
    try:
        check_slot(case.event, case.hosts, now=case.now, start=start)
    except SlotUnavailable as err:
        assert err.reason in {
            "not_on_grid",
            "outside_hours",
            "outside_window",
            "too_soon",
            "busy",
            "limit_reached",
        }
    else:
        raise AssertionError(f"{start} was accepted but not offered")
