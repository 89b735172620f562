"""Public entry points: bookable slots for every meeting type, and re-checking one slot."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from .context import (
    Context,
    build_context,
    check_hosts,
    event_limit_blocks,
    free_spans,
    grid_starts,
    host_buffers,
    host_limit_blocks,
    working,
)
from .errors import SlotUnavailable
from .guests import check_guests
from .intervals import Span, covers, drop_starts, intersect, merge, subtract
from .models import EventSpec, GroupSession, HostAvailability, MeetingType, Slot
from .sessions import check_session, session_slots
from .zones import require_aware, to_datetime, ts_floor

_AROUND = timedelta(seconds=1)


def compute_slots(
    event: EventSpec,
    hosts: Sequence[HostAvailability],
    *,
    now: datetime,
    start: datetime,
    end: datetime,
    sessions: Sequence[GroupSession] = (),
) -> list[Slot]:
    """Every bookable slot of the event starting in [start, end), by meeting type."""
    hosts = check_hosts(event, hosts)
    return _slots(build_context(event, hosts, now, start, end), hosts, sessions)


def union_slots(
    event: EventSpec,
    hosts: Sequence[HostAvailability],
    *,
    now: datetime,
    start: datetime,
    end: datetime,
) -> list[Slot]:
    """Slots where at least one host is free, each listing every host free for it (round robin)."""
    hosts = check_hosts(event, hosts)
    ctx = build_context(event, hosts, now, start, end)
    return _union(ctx, hosts) if ctx.lo < ctx.hi else []


def _slots(
    ctx: Context, hosts: tuple[HostAvailability, ...], sessions: Sequence[GroupSession]
) -> list[Slot]:
    """Dispatch on meeting type once the context is built."""
    kind = ctx.event.meeting_type
    if kind is MeetingType.GROUP:
        return session_slots(ctx, hosts, sessions)
    if ctx.lo >= ctx.hi:
        return []
    if kind is MeetingType.ROUND_ROBIN:
        return _union(ctx, hosts)
    return _intersection(ctx, hosts)


def _make(starts: list[int], duration: int, ids: Sequence[tuple[Hashable, ...]]) -> list[Slot]:
    """Slot objects (aware UTC) for starts with their host id tuples."""
    length = timedelta(seconds=duration)
    return [
        Slot(begin, begin + length, h)
        for begin, h in zip(map(to_datetime, starts), ids, strict=True)
    ]


def _intersection(ctx: Context, hosts: tuple[HostAvailability, ...]) -> list[Slot]:
    """Collective, panel and one-on-one: slots where every host is free."""
    times = [ctx.times(h) for h in hosts]
    blocked = event_limit_blocks(ctx, hosts, times)
    free: list[Span] | None = None
    for host, host_times in zip(hosts, times, strict=True):
        mine = free_spans(ctx, host, host_times)
        free = mine if free is None else intersect(free, mine)
        if not free:
            return []
        blocked += host_limit_blocks(ctx, host, host_times)
    starts = grid_starts(ctx, free or [], ctx.clock(ctx.grid_zone), merge(blocked))
    ids = tuple(h.host_id for h in hosts)
    return _make(starts, ctx.duration, [ids] * len(starts))


def _union(ctx: Context, hosts: tuple[HostAvailability, ...]) -> list[Slot]:
    """Round robin: starts from each host's own grid; each lists every host free for it."""
    times = [ctx.times(h) for h in hosts]
    clock, duration = ctx.clock(ctx.grid_zone), ctx.duration
    found: set[int] = set()
    valid: list[list[Span]] = []
    for host, host_times in zip(hosts, times, strict=True):
        free = free_spans(ctx, host, host_times)
        limits = host_limit_blocks(ctx, host, host_times)
        found.update(grid_starts(ctx, free, clock, limits))
        valid.append(
            subtract([(s, e - duration + 1) for s, e in free if e - s >= duration], limits)
        )
    starts = drop_starts(sorted(found), merge(event_limit_blocks(ctx, hosts, times)))
    return _make(starts, duration, _eligible(starts, [h.host_id for h in hosts], valid))


def _eligible(
    starts: list[int], ids: list[Hashable], valid: list[list[Span]]
) -> list[tuple[Hashable, ...]]:
    """Per start, the ids (in host order) whose valid-start spans contain it, found by bisect."""
    eligible: list[list[Hashable]] = [[] for _ in starts]
    for host_id, spans in zip(ids, valid, strict=True):
        for a, b in spans:
            for k in range(bisect_left(starts, a), bisect_left(starts, b)):
                eligible[k].append(host_id)
    return [tuple(e) for e in eligible]


def check_slot(
    event: EventSpec,
    hosts: Sequence[HostAvailability],
    *,
    now: datetime,
    start: datetime,
    sessions: Sequence[GroupSession] = (),
    guests: int = 0,
) -> Slot:
    """Re-check one requested start on the days around it; the Slot, or SlotUnavailable(reason)."""
    seats = check_guests(event, guests)
    hosts = check_hosts(event, hosts)
    require_aware("start", start)
    ctx = build_context(event, hosts, now, start, start + _AROUND)
    s = ts_floor(start)
    if event.meeting_type is MeetingType.GROUP:
        return check_session(ctx, hosts, sessions, start, seats)
    if start.timestamp() < ctx.earliest:
        raise SlotUnavailable("too_soon")
    if s + ctx.duration > ctx.window_end:
        raise SlotUnavailable("outside_window")
    found = _slots(ctx, hosts, ())
    if found and found[0].start == start:
        return found[0]
    raise SlotUnavailable(_diagnose(ctx, hosts, s))


def _diagnose(ctx: Context, hosts: tuple[HostAvailability, ...], s: int) -> str:
    """Reason a start inside notice and window is not offered: limits, busy, hours or grid."""
    if _offered(replace(ctx, use_limits=False), hosts, s):
        return "limit_reached"
    if _offered(replace(ctx, use_limits=False, use_busy=False), hosts, s):
        return "busy"
    e = s + ctx.duration
    inside = [covers(w, [a for a, _ in w], s, e) for w in (working(ctx, h) for h in hosts)]
    in_hours = any(inside) if ctx.event.meeting_type is MeetingType.ROUND_ROBIN else all(inside)
    return "not_on_grid" if in_hours else "outside_hours"


def _offered(ctx: Context, hosts: tuple[HostAvailability, ...], s: int) -> bool:
    """Whether the engine, run with ctx's switches, offers a slot starting exactly at s."""
    found = _slots(ctx, hosts, ())
    return bool(found) and found[0].start == to_datetime(s)


def occupied_range(
    event: EventSpec, host: HostAvailability, start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    """The span a booking blocks for a host, including this event's effective buffers."""
    before, after = host_buffers(event, host)
    return start - timedelta(seconds=before), end + timedelta(seconds=after)
