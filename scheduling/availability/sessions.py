"""Group events: recurring-session expansion and which scheduled sessions are still bookable."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .context import (
    Context,
    event_limit_blocks,
    host_limit_blocks,
    occupied,
)
from .errors import InvalidRange, SlotUnavailable
from .intervals import Span, overlaps
from .models import GroupSession, HostAvailability, RecurringPattern, Slot
from .zones import load_zone, to_datetime, ts_ceil, ts_floor


def expand_recurring_sessions(
    pattern: RecurringPattern,
    start_date: date,
    end_date: date,
    *,
    seats_taken: Mapping[Hashable, int] | None = None,
) -> list[GroupSession]:
    """Sessions "<pattern_id>:<ISO date>" on start_date..end_date; skipped wall times drop one."""
    if end_date < start_date:
        raise InvalidRange("The end date is before the start date.")
    zone, taken = load_zone(pattern.timezone), seats_taken or {}
    length = timedelta(minutes=pattern.duration_minutes)
    out: list[GroupSession] = []
    for ordinal in range(start_date.toordinal(), end_date.toordinal() + 1):
        day = date.fromordinal(ordinal)
        if day.weekday() not in pattern.weekdays:
            continue
        local = datetime.combine(day, pattern.start_time.replace(fold=0), tzinfo=zone)
        start = local.astimezone(UTC)
        if start.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
            continue  # wall time does not exist that day
        session_id = f"{pattern.pattern_id}:{day.isoformat()}"
        out.append(
            GroupSession(
                session_id, start, start + length, pattern.capacity, taken.get(session_id, 0)
            )
        )
    return out


@dataclass(slots=True)
class _HostView:
    """One host as sessions see it: busy time without this event's sessions, and its limits."""

    busy: list[Span]
    busy_starts: list[int]
    limits: list[Span]
    limit_starts: list[int]
    own: frozenset[Span]


@dataclass(slots=True)
class _Board:
    """Everything needed to judge sessions of one call: host views and event-level limits."""

    hosts: tuple[HostAvailability, ...]
    views: list[_HostView]
    limits: list[Span]
    limit_starts: list[int]
    own: frozenset[Span]


def _board(ctx: Context, hosts: Sequence[HostAvailability], keys: frozenset[Span]) -> _Board:
    """Precompute, per host, busy time minus the sessions' own bookings, and all limit spans."""
    all_times = [ctx.times(h) for h in hosts]
    views: list[_HostView] = []
    for host, times in zip(hosts, all_times, strict=True):
        busy = occupied(ctx, host, times, keys) if ctx.use_busy else []
        limits = host_limit_blocks(ctx, host, times)
        own = frozenset(
            t
            for b, t in zip(host.busy, times, strict=True)
            if b.event_id == ctx.event.event_id and t in keys
        )
        views.append(_HostView(busy, [s for s, _ in busy], limits, [s for s, _ in limits], own))
    limits = event_limit_blocks(ctx, hosts, all_times)
    own = frozenset().union(*(v.own for v in views))
    return _Board(tuple(hosts), views, limits, [s for s, _ in limits], own)


def _problem(ctx: Context, board: _Board, s: int, e: int, remaining: int, seats: int) -> str | None:
    """Why a session at [s, e) cannot take `seats` more people, or None if it can."""
    if s < ctx.earliest:
        return "too_soon"
    if e > ctx.window_end:
        return "outside_window"
    if remaining < seats:
        return "session_full"
    if any(overlaps(v.busy, v.busy_starts, s, e) for v in board.views):
        return "busy"
    key = (s, e)
    if any(key not in v.own and overlaps(v.limits, v.limit_starts, s, s + 1) for v in board.views):
        return "limit_reached"
    if key not in board.own and overlaps(board.limits, board.limit_starts, s, s + 1):
        return "limit_reached"
    return None


def _times(ctx: Context, sessions: Sequence[GroupSession]) -> list[tuple[int, int, GroupSession]]:
    """Sessions as (start, end, session) in epoch seconds, sorted by start."""
    return sorted(
        ((ts_floor(x.start), ts_ceil(x.end), x) for x in sessions), key=lambda row: (row[0], row[1])
    )


def _slot(ctx: Context, board: _Board, s: int, e: int, session: GroupSession) -> Slot:
    """Slot for a session with the seats it has left."""
    remaining = (session.capacity or ctx.event.capacity) - session.seats_taken
    ids = tuple(h.host_id for h in board.hosts)
    return Slot(to_datetime(s), to_datetime(e), ids, remaining, session.session_id)


def session_slots(
    ctx: Context, hosts: Sequence[HostAvailability], sessions: Sequence[GroupSession]
) -> list[Slot]:
    """Sessions starting in the query range that still have a seat and whose hosts are free."""
    rows = [r for r in _times(ctx, sessions) if ctx.lo <= r[0] < ctx.query_end]
    board = _board(ctx, hosts, frozenset((s, e) for s, e, _ in rows))
    out: list[Slot] = []
    for s, e, session in rows:
        remaining = (session.capacity or ctx.event.capacity) - session.seats_taken
        if _problem(ctx, board, s, e, remaining, 1) is None:
            out.append(_slot(ctx, board, s, e, session))
    return out


def check_session(
    ctx: Context,
    hosts: Sequence[HostAvailability],
    sessions: Sequence[GroupSession],
    start: datetime,
    seats: int,
) -> Slot:
    """The session starting exactly at `start` if it can take `seats` people, else why not."""
    rows = [r for r in _times(ctx, sessions) if r[2].start == start]
    if not rows:
        raise SlotUnavailable("not_on_grid")
    board = _board(ctx, hosts, frozenset((s, e) for s, e, _ in rows))
    s, e, session = rows[0]
    remaining = (session.capacity or ctx.event.capacity) - session.seats_taken
    reason = _problem(ctx, board, s, e, remaining, seats)
    if reason is not None:
        raise SlotUnavailable(reason)
    return _slot(ctx, board, s, e, session)
