"""Per-call preparation shared by every meeting type: grid numbers, notice, window, host spans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil, floor

from .errors import InvalidInput, InvalidRange
from .hours import working_spans
from .intervals import Span, clip, merge, subtract
from .models import BusyBlock, EventSpec, HostAvailability, MeetingType
from .zones import (
    DAY,
    FAR,
    ZoneClock,
    day_start_of,
    load_zone,
    local_ordinal_at,
    require_aware,
    ts_ceil,
    ts_floor,
    zone_clock,
)

MARGIN = 10 * DAY  # enough for a whole ISO week on either side of the queried range
ALIGNMENTS = (60, 30, 20, 15, 10, 5)


@dataclass(slots=True)
class Context:
    """Numbers (epoch seconds) fixed for one engine call, plus zone tables built on demand."""

    event: EventSpec
    duration: int
    increment: int
    align: int
    earliest: int
    window_end: int
    lo: int
    hi: int
    query_end: int
    span_lo: int
    span_hi: int
    grid_zone: str
    use_busy: bool = True
    use_limits: bool = True
    clocks: dict[str, ZoneClock] = field(default_factory=dict)
    block_cache: dict[int, list[Span]] = field(default_factory=dict)

    def clock(self, key: str) -> ZoneClock:
        """The offset table of a zone over this call's span (shared: `zones.zone_clock`)."""
        found = self.clocks.get(key)
        if found is None:
            found = self.clocks[key] = zone_clock(key, self.span_lo, self.span_hi)
        return found

    def times(self, host: HostAvailability) -> list[Span]:
        """Epoch seconds of a host's bookings, converted once per call (shared by re-runs)."""
        found = self.block_cache.get(id(host))
        if found is None:
            found = self.block_cache[id(host)] = block_times(host)
        return found


def alignment_minutes(increment: int) -> int:
    """Largest of 60, 30, 20, 15, 10, 5 dividing the increment, else 1: where grids start."""
    return next((a for a in ALIGNMENTS if increment % a == 0), 1)


def window_end(event: EventSpec, now_ts: int) -> int:
    """End of the booking window: midnight after the Nth day after today, in the display zone."""
    if event.booking_window_days is None:
        return FAR
    zone = load_zone(event.display_timezone)
    today = local_ordinal_at(zone, now_ts)
    return day_start_of(zone, today + int(event.booking_window_days) + 1)


def check_hosts(
    event: EventSpec, hosts: Sequence[HostAvailability]
) -> tuple[HostAvailability, ...]:
    """Require at least one host, unique host ids, and exactly one host for one-on-one events."""
    hosts = tuple(hosts)
    if not hosts:
        raise InvalidInput("At least one host is required.", field="hosts")
    if len({h.host_id for h in hosts}) != len(hosts):
        raise InvalidInput("Each host can only be given once.", field="hosts")
    if event.meeting_type is MeetingType.ONE_ON_ONE and len(hosts) != 1:
        raise InvalidInput("A one-on-one event has exactly one host.", field="hosts")
    return hosts


def build_context(
    event: EventSpec,
    hosts: Sequence[HostAvailability],
    now: datetime,
    start: datetime,
    end: datetime,
) -> Context:
    """Validate the call's datetimes and fix notice, window, grid and query bounds in seconds."""
    for name, value in (("now", now), ("start", start), ("end", end)):
        require_aware(name, value)
    if end <= start:
        raise InvalidRange("The end of the requested range must be after its start.")
    duration = event.duration_minutes * 60
    increment = (event.increment_minutes or event.duration_minutes) * 60
    earliest = ts_ceil(now) + round(event.min_notice_hours * 3600)
    last_end = window_end(event, ts_floor(now))
    lo = max(ts_ceil(start), earliest)
    query_end = ts_ceil(end)
    hi = min(query_end, last_end - duration + 1)
    grid_zone = hosts[0].schedule.timezone if len(hosts) == 1 else event.display_timezone
    return Context(
        event=event,
        duration=duration,
        increment=increment,
        align=alignment_minutes(increment // 60) * 60,
        earliest=earliest,
        window_end=last_end,
        lo=lo,
        hi=hi,
        query_end=query_end,
        span_lo=lo - MARGIN,
        span_hi=max(lo, min(query_end, last_end)) + MARGIN,
        grid_zone=grid_zone,
    )


def host_buffers(event: EventSpec, host: HostAvailability) -> tuple[int, int]:
    """Seconds of buffer before/after this event's meetings for a host (None -> host default)."""
    before = host.default_buffer_before if event.buffer_before is None else event.buffer_before
    after = host.default_buffer_after if event.buffer_after is None else event.buffer_after
    return before * 60, after * 60


def block_times(host: HostAvailability) -> list[Span]:
    """(start, end) epoch seconds of each existing booking, in host.busy order."""
    return [(floor(b.start.timestamp()), ceil(b.end.timestamp())) for b in host.busy]


def occupied(
    ctx: Context, host: HostAvailability, times: list[Span], skip: frozenset[Span] = frozenset()
) -> list[Span]:
    """Busy time (bookings with own buffers) widened by the event's buffers; skip: own sessions."""
    lo, hi = ctx.span_lo, ctx.span_hi
    before, after = host_buffers(ctx.event, host)
    pairs: Iterable[tuple[BusyBlock, Span]] = zip(host.busy, times, strict=True)
    if skip:
        event_id = ctx.event.event_id
        pairs = [(b, t) for b, t in pairs if b.event_id != event_id or t not in skip]
    items = [
        (s - b.buffer_before * 60 - after, e + b.buffer_after * 60 + before)
        for b, (s, e) in pairs
        if e > lo and s < hi
    ]
    for intervals in (host.external_busy, host.time_off):
        items += [
            (s - after, e + before)
            for s, e in ((floor(i.start.timestamp()), ceil(i.end.timestamp())) for i in intervals)
            if e > lo and s < hi
        ]
    return merge(items)


def working(ctx: Context, host: HostAvailability) -> list[Span]:
    """The host's working spans on the local days around the query, unclipped."""
    clock = ctx.clock(host.schedule.timezone)
    first = clock.local_ordinal(ctx.lo) - 1
    last = clock.local_ordinal(max(ctx.lo, ctx.hi)) + 1
    return working_spans(host.schedule, clock, first, last)


def free_spans(ctx: Context, host: HostAvailability, times: list[Span]) -> list[Span]:
    """Working hours minus buffered busy time, clipped to notice and window."""
    free = clip(working(ctx, host), ctx.earliest, ctx.window_end)
    if ctx.use_busy and free:
        free = subtract(free, occupied(ctx, host, times))
    return free


def period_blocks(
    clock: ZoneClock, starts: Iterable[int], max_day: int | None, max_week: int | None
) -> list[Span]:
    """Spans of local days / ISO weeks (Monday start) whose booking count reached a limit."""
    if max_day == 0 or max_week == 0:
        return [(-FAR, FAR)]
    days = Counter(clock.local_ordinals(starts))
    spans: list[Span] = []
    if max_day is not None:
        spans += [
            (clock.day_start(o), clock.day_start(o + 1)) for o, c in days.items() if c >= max_day
        ]
    if max_week is not None:
        weeks: Counter[int] = Counter()
        for o, c in days.items():
            weeks[o - (o - 1) % 7] += c
        spans += [
            (clock.day_start(m), clock.day_start(m + 7)) for m, c in weeks.items() if c >= max_week
        ]
    return merge(spans)


def host_limit_blocks(ctx: Context, host: HostAvailability, times: list[Span]) -> list[Span]:
    """Start times barred by the host's own daily/weekly limits, counted in the host's zone."""
    limits = [m for m in (host.max_per_day, host.max_per_week) if m is not None]
    if not ctx.use_limits or not limits or len(host.busy) < min(limits):
        return []  # no limit set, or too few bookings to reach one
    lo, hi = ctx.span_lo, ctx.span_hi
    counted = {b.booking_id: s for b, (s, _) in zip(host.busy, times, strict=True) if lo <= s < hi}
    return period_blocks(
        ctx.clock(host.timezone), counted.values(), host.max_per_day, host.max_per_week
    )


def event_limit_blocks(
    ctx: Context, hosts: Sequence[HostAvailability], times: Sequence[list[Span]]
) -> list[Span]:
    """Start times barred by the event's limits, counting its bookings once, in display zone."""
    event = ctx.event
    if not ctx.use_limits or (event.max_per_day is None and event.max_per_week is None):
        return []
    lo, hi, counted = ctx.span_lo, ctx.span_hi, {}
    for host, host_times in zip(hosts, times, strict=True):
        for b, (s, _) in zip(host.busy, host_times, strict=True):
            if b.event_id == event.event_id and lo <= s < hi:
                counted[b.booking_id] = s
    return period_blocks(
        ctx.clock(event.display_timezone), counted.values(), event.max_per_day, event.max_per_week
    )


def grid_starts(ctx: Context, free: list[Span], clock: ZoneClock, blocked: list[Span]) -> list[int]:
    """Slot starts laid on each free span (rounded in clock's zone) in [lo, hi), minus blocked."""
    duration, increment, align, lo, hi = ctx.duration, ctx.increment, ctx.align, ctx.lo, ctx.hi
    runs: list[Span] = []  # one arithmetic progression [first, last] per free span
    for s, e in free:
        last = e - duration
        if last < lo or s >= hi:
            continue
        first = clock.round_up(s, align)
        if first <= last:
            runs.append((first, last + 1))
    pieces = runs  # cut only when limits or the query bounds reach into the runs
    if blocked or (runs and (runs[0][0] < lo or runs[-1][1] > hi)):
        pieces = subtract(runs, merge([*blocked, (-FAR, lo), (hi, FAR)]))
    out: list[int] = []
    p = 0
    for a, b in pieces:
        while runs[p][1] <= a:
            p += 1
        out.extend(range(a + (runs[p][0] - a) % increment, b, increment))
    return out
