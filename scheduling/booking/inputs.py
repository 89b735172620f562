"""Load what the availability engine needs for one event from the database.

Busy time comes from `oh_host_occupancy` (the same rows the exclusion constraint guards),
so what the engine sees and what the database enforces cannot disagree.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select, text, true
from sqlalchemy.orm import Session

from scheduling import availability as av
from scheduling.db.tenant import driver_connection, psycopg_params
from scheduling.models import (
    Admin,
    Booking,
    BookingStatus,
    Event,
    EventHost,
    GroupSession,
)

LIVE = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)
# Busy time and limits reach beyond the asked range: ISO weeks for weekly limits, buffers.
MARGIN = timedelta(days=8)
# Re-checking one start without limits needs only the free run it lies in, which begins at
# the latest on that local day in any zone (a 25-hour day when clocks fall back), and the
# bookings whose buffered time meets the new booking's (see `EventRules.reach_after`).
CHECK_MARGIN = timedelta(hours=26)


class BusyTimeSource(Protocol):
    """External calendars (Google, CalDAV): busy intervals of hosts in a range."""

    def busy(
        self, host_ids: Sequence[uuid.UUID], start: datetime, end: datetime
    ) -> dict[uuid.UUID, list[av.Interval]]:
        """Busy intervals per host id."""


class NoExternalCalendars:
    """No calendar connected: nothing external is busy."""

    def busy(
        self, host_ids: Sequence[uuid.UUID], start: datetime, end: datetime
    ) -> dict[uuid.UUID, list[av.Interval]]:
        """Nothing."""
        return {}


@dataclass(frozen=True, slots=True)
class EventInputs:
    """The engine's inputs for one event over one range."""

    event: Event
    spec: av.EventSpec
    hosts: tuple[av.HostAvailability, ...]
    sessions: tuple[av.GroupSession, ...]
    host_rows: dict[uuid.UUID, Host]

    def host(self, host_id: uuid.UUID) -> av.HostAvailability:
        """One host's availability."""
        return next(h for h in self.hosts if h.host_id == host_id)


def event_spec(event: Event) -> av.EventSpec:
    """The engine's view of an event's rules."""
    return av.EventSpec(
        event_id=event.id,
        meeting_type=av.MeetingType(event.meeting_type.value),
        duration_minutes=event.duration_minutes,
        display_timezone=event.display_timezone,
        increment_minutes=event.slot_increment_minutes,
        buffer_before=event.buffer_before,
        buffer_after=event.buffer_after,
        min_notice_hours=event.min_notice_hours,
        booking_window_days=event.booking_window_days,
        max_per_day=event.max_daily_bookings,
        max_per_week=event.max_weekly_bookings,
        capacity=event.capacity,
        allow_guests=event.allow_guests,
        guest_limit=event.guest_limit,
    )


@dataclass(frozen=True, slots=True)
class Host:
    """What booking needs to know about one host of an event."""

    id: uuid.UUID
    name: str
    email: str
    timezone: str
    max_per_day: int | None
    max_per_week: int | None
    buffer_before: int
    buffer_after: int


@dataclass(frozen=True, slots=True)
class EventRules:
    """The part of an event's inputs other bookings cannot change: hosts and schedules."""

    hosts: tuple[Host, ...]
    schedules: dict[uuid.UUID, av.Schedule]

    def reach_after(self, event: Event) -> timedelta:
        """The longest buffer a booking of `event` can hold after its end (any host)."""
        after = [
            h.buffer_after if event.buffer_after is None else event.buffer_after for h in self.hosts
        ]
        return timedelta(minutes=max(after, default=0))

    def has_limits(self, event: Event) -> bool:
        """Whether a daily or weekly limit of the event or of a host counts bookings."""
        return any(
            m is not None
            for m in (
                event.max_daily_bookings,
                event.max_weekly_bookings,
                *(h.max_per_day for h in self.hosts),
                *(h.max_per_week for h in self.hosts),
            )
        )


RULES_SQL = text(
    """
    SELECT a.id, a.name, a.email, a.timezone, a.max_meetings_per_day,
           a.max_meetings_per_week, a.default_buffer_before, a.default_buffer_after,
           s.timezone AS schedule_timezone,
           (SELECT json_agg(json_build_array(r.weekday, r.start_time, r.end_time)
                            ORDER BY r.weekday, r.start_time)
            FROM oh_availability_rules r
            WHERE r.org_id = s.org_id AND r.schedule_id = s.id) AS weekly,
           (SELECT json_agg(json_build_array(o.day, o.start_time, o.end_time)
                            ORDER BY o.day, o.start_time)
            FROM oh_availability_overrides o
            WHERE o.org_id = s.org_id AND o.schedule_id = s.id) AS overrides
    FROM oh_event_hosts eh
    JOIN oh_admins a ON a.org_id = eh.org_id AND a.id = eh.admin_id
    LEFT JOIN LATERAL (
        SELECT * FROM oh_availability_schedules s
        WHERE s.org_id = a.org_id AND s.admin_id = a.id
        ORDER BY coalesce(s.id = CAST(:pinned AS uuid), false) DESC, s.is_default DESC,
                 s.created_at
        LIMIT 1
    ) s ON true
    WHERE eh.org_id = oh_current_org() AND eh.event_id = :event AND a.is_active
    ORDER BY eh.is_primary DESC, eh.display_order, a.name
    """
)


def load_rules(session: Session, event: Event) -> EventRules:
    """The event's active hosts (primary first) and each one's schedule: the event's pinned
    schedule if it is theirs, else their default (else their oldest), in one query."""
    hosts, schedules = [], {}
    for row in session.execute(RULES_SQL, {"event": event.id, "pinned": event.schedule_id}):
        hosts.append(
            Host(
                row.id,
                row.name,
                row.email,
                row.timezone,
                row.max_meetings_per_day,
                row.max_meetings_per_week,
                row.default_buffer_before,
                row.default_buffer_after,
            )
        )
        if row.schedule_timezone is not None:
            schedules[row.id] = _schedule(row.schedule_timezone, row.weekly, row.overrides)
    return EventRules(tuple(hosts), schedules)


def _schedule(
    zone: str, weekly: list[list[Any]] | None, overrides: list[list[Any]] | None
) -> av.Schedule:
    """A schedule from RULES_SQL's JSON: [weekday, start, end] and [day, start?, end?]."""
    days: dict[date, list[tuple[time, time]]] = {}
    for day, start, end in overrides or ():
        spans = days.setdefault(date.fromisoformat(day), [])
        if start is not None and end is not None:
            spans.append((time.fromisoformat(start), time.fromisoformat(end)))
    return av.Schedule(
        timezone=zone,
        weekly=tuple(
            av.WeeklyRule(wd, time.fromisoformat(a), time.fromisoformat(b))
            for wd, a, b in weekly or ()
        ),
        overrides=tuple(av.DateOverride(day, tuple(spans)) for day, spans in days.items()),
    )


def event_hosts(session: Session, event: Event) -> list[Admin]:
    """The event's active hosts, primary first."""
    stmt = (
        select(Admin)
        .join(EventHost, (EventHost.org_id == Admin.org_id) & (EventHost.admin_id == Admin.id))
        .where(EventHost.event_id == event.id, Admin.is_active)
        .order_by(EventHost.is_primary.desc(), EventHost.display_order, Admin.name)
    )
    return list(session.scalars(stmt))


def load_inputs(
    session: Session,
    event: Event,
    start: datetime,
    end: datetime,
    *,
    exclude_booking: uuid.UUID | None = None,
    calendars: BusyTimeSource | None = None,
    rules: EventRules | None = None,
    margin: timedelta = MARGIN,
    margin_after: timedelta | None = None,
    check_at: datetime | None = None,
    occupied: Sequence[tuple[Any, ...]] | None = None,
) -> EventInputs:
    """Everything the engine needs for `event` between `start` and `end`, with committed
    time `margin` before and `margin_after` (default: `margin`) after; pass `rules` already
    loaded to read only the rest. With `check_at` (re-checking that one start, no limits),
    only the bookings that can bear on it are read (see OCCUPIED_SQL). `occupied`: the rows
    of that read, already made with the same parameters (`occupied_params`)."""
    rules = rules or load_rules(session, event)
    hosts, schedules = rules.hosts, rules.schedules
    ids = [h.id for h in hosts]
    params = occupied_params(ids, start, end, margin, margin_after, exclude_booking, check_at)
    lo, hi = params["lo"], params["hi"]
    busy, time_off = _committed(session, params, occupied)
    external = (calendars or NoExternalCalendars()).busy(ids, lo, hi)
    availabilities = tuple(
        av.HostAvailability(
            host_id=h.id,
            timezone=h.timezone,
            schedule=schedules.get(h.id, av.Schedule(timezone=h.timezone)),
            busy=tuple(busy[h.id]),
            external_busy=tuple(external.get(h.id, ())),
            time_off=tuple(time_off[h.id]),
            max_per_day=h.max_per_day,
            max_per_week=h.max_per_week,
            default_buffer_before=h.buffer_before,
            default_buffer_after=h.buffer_after,
        )
        for h in hosts
    )
    sessions = _sessions(session, event, lo, hi, exclude_booking)
    return EventInputs(event, event_spec(event), availabilities, sessions, {h.id: h for h in hosts})


# The occupancy rows that bear on [:at, :hi) for each host, with the last one before it when
# that one ends after :lo, as busy blocks (with the booking's or session's own times), then
# time off. One host's rows never overlap (the exclusion constraint), so ordered by start
# they are ordered by end too: the rows starting in [:at, :hi), plus the last row starting
# before :at, are every row that reaches into [:at, :hi) (only that last one can start before
# :at and end after it). Read with :at = :lo, that is the range [:lo, :hi). Re-checking one
# start (:at, with :lo a margin before it), the last row is also the one that decides where
# the free run holding the start begins: earlier rows cannot matter. Both parts are ranges
# of the btree on (org_id, admin_id, occupied_from), occupied_from being lower(during) as a
# column (see HostOccupancy); the exclusion constraint's GiST index answers the same
# questions at several times the cost (it checks every entry of ~30 pages).
# Both parts sit in one lateral subquery per host, so that every plan, generic ones too,
# looks each host up in the index rather than hashing the hosts against every host's rows.
_NOT_EXCLUDED = (
    "(CAST(:exclude AS uuid) IS NULL OR o.booking_id IS DISTINCT FROM CAST(:exclude AS uuid))"
)
OCCUPIED_SQL = text(
    f"""
    WITH occupied AS (
        SELECT o.*
        FROM unnest(CAST(:hosts AS uuid[])) AS h(admin_id)
        CROSS JOIN LATERAL (
            (SELECT o.admin_id, o.booking_id, o.slot_id, o.during, o.occupied_from
             FROM oh_host_occupancy o
             WHERE o.org_id = oh_current_org() AND o.admin_id = h.admin_id
               AND o.occupied_from >= CAST(:at AS timestamptz)
               AND o.occupied_from < CAST(:hi AS timestamptz)
               AND {_NOT_EXCLUDED})
            UNION ALL
            (SELECT o.admin_id, o.booking_id, o.slot_id, o.during, o.occupied_from
             FROM oh_host_occupancy o
             WHERE o.org_id = oh_current_org() AND o.admin_id = h.admin_id
               AND o.occupied_from < CAST(:at AS timestamptz)
               AND {_NOT_EXCLUDED}
             ORDER BY o.occupied_from DESC
             LIMIT 1)
        ) AS o
        WHERE upper(o.during) > CAST(:lo AS timestamptz)
    )
    SELECT o.admin_id,
           coalesce(o.booking_id, o.slot_id) AS block_id,
           coalesce(b.event_id, s.event_id) AS event_id,
           coalesce(b.starts_at, s.starts_at) AS starts_at,
           coalesce(b.ends_at, s.ends_at) AS ends_at,
           o.occupied_from,
           upper(o.during) AS occupied_to
    FROM occupied o
    LEFT JOIN oh_bookings b ON b.org_id = oh_current_org() AND b.id = o.booking_id
    LEFT JOIN oh_slots s ON s.org_id = oh_current_org() AND s.id = o.slot_id
    UNION ALL
    SELECT t.admin_id, NULL, NULL, t.starts_at, t.ends_at, NULL, NULL
    FROM oh_time_off t
    WHERE t.org_id = oh_current_org()
      AND t.admin_id = ANY(CAST(:hosts AS uuid[]))
      AND t.ends_at > CAST(:lo AS timestamptz) AND t.starts_at < CAST(:hi AS timestamptz)
    """  # noqa: S608 (a fragment of this module; every value is bound)
)


# The same read in psycopg's parameter style, sent through psycopg: SQLAlchemy's result
# handling cost more Python than the rest of a booking's re-check (and as a begin read it
# travels with the transaction's BEGIN, see `booking.service.recheck_reads`).
OCCUPIED_READ = psycopg_params(OCCUPIED_SQL.text)


def occupied_params(
    host_ids: Sequence[uuid.UUID],
    start: datetime,
    end: datetime,
    margin: timedelta,
    margin_after: timedelta | None = None,
    exclude_booking: uuid.UUID | None = None,
    check_at: datetime | None = None,
) -> dict[str, Any]:
    """OCCUPIED_READ's parameters for the time from `margin` before `start` to
    `margin_after` (default: `margin`) after `end` (its `lo` and `hi`)."""
    lo, hi = start - margin, end + (margin if margin_after is None else margin_after)
    return {
        "hosts": list(host_ids),
        "lo": lo,
        "at": check_at or lo,
        "hi": hi,
        "exclude": exclude_booking,
    }


def _committed(
    session: Session, params: dict[str, Any], rows: Sequence[tuple[Any, ...]] | None = None
) -> tuple[dict[uuid.UUID, list[av.BusyBlock]], dict[uuid.UUID, list[av.Interval]]]:
    """Each host's booked time (from the occupancy table) and time off, in one query with
    `params` (`occupied_params`), or from its `rows` already read with them."""
    if rows is None:
        rows = driver_connection(session).execute(OCCUPIED_READ, params).fetchall()
    busy: dict[uuid.UUID, list[av.BusyBlock]] = defaultdict(list)
    time_off: dict[uuid.UUID, list[av.Interval]] = defaultdict(list)
    for admin_id, block_id, event_id, starts_at, ends_at, occupied_from, occupied_to in rows:
        if block_id is None:
            time_off[admin_id].append(av.Interval(starts_at, ends_at))
        else:
            busy[admin_id].append(
                av.BusyBlock(
                    booking_id=block_id,
                    event_id=event_id,
                    start=starts_at,
                    end=ends_at,
                    buffer_before=int((starts_at - occupied_from).total_seconds() // 60),
                    buffer_after=int((occupied_to - ends_at).total_seconds() // 60),
                )
            )
    return busy, time_off


def _sessions(
    session: Session,
    event: Event,
    lo: datetime,
    hi: datetime,
    exclude_booking: uuid.UUID | None,
) -> tuple[av.GroupSession, ...]:
    """The event's scheduled sessions with the seats already taken."""
    if event.meeting_type.value != "group":
        return ()
    taken = (
        select(Booking.slot_id, func.sum(Booking.seats).label("seats"))
        .where(
            Booking.event_id == event.id,
            Booking.status.in_(LIVE),
            Booking.slot_id.is_not(None),
            Booking.id != exclude_booking if exclude_booking else true(),
        )
        .group_by(Booking.slot_id)
        .subquery()
    )
    rows = session.execute(
        select(GroupSession, func.coalesce(taken.c.seats, 0))
        .outerjoin(taken, taken.c.slot_id == GroupSession.id)
        .where(
            GroupSession.event_id == event.id,
            GroupSession.is_cancelled.is_(False),
            GroupSession.starts_at < hi,
            GroupSession.ends_at > lo,
        )
        .order_by(GroupSession.starts_at)
    ).all()
    return tuple(
        av.GroupSession(s.id, s.starts_at, s.ends_at, s.capacity, int(seats)) for s, seats in rows
    )
