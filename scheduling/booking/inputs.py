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
from typing import Protocol

from sqlalchemy import Row, func, select, text
from sqlalchemy.orm import Session

from scheduling import availability as av
from scheduling.models import (
    Admin,
    AvailabilityOverride,
    AvailabilityRule,
    AvailabilitySchedule,
    Booking,
    BookingStatus,
    Event,
    EventHost,
    GroupSession,
    TimeOff,
)

LIVE = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)
# Busy time and limits reach beyond the asked range: ISO weeks for weekly limits, buffers.
MARGIN = timedelta(days=8)


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
    host_rows: dict[uuid.UUID, Admin]


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
) -> EventInputs:
    """Everything the engine needs for `event` between `start` and `end`."""
    hosts = event_hosts(session, event)
    ids = [h.id for h in hosts]
    lo, hi = start - MARGIN, end + MARGIN
    schedules = _schedules(session, event, ids)
    busy = _busy_blocks(session, ids, lo, hi, exclude_booking)
    time_off = _time_off(session, ids, lo, hi)
    external = (calendars or NoExternalCalendars()).busy(ids, lo, hi)
    availabilities = tuple(
        av.HostAvailability(
            host_id=h.id,
            timezone=h.timezone,
            schedule=schedules.get(h.id, av.Schedule(timezone=h.timezone)),
            busy=tuple(busy[h.id]),
            external_busy=tuple(external.get(h.id, ())),
            time_off=tuple(time_off[h.id]),
            max_per_day=h.max_meetings_per_day,
            max_per_week=h.max_meetings_per_week,
            default_buffer_before=h.default_buffer_before,
            default_buffer_after=h.default_buffer_after,
        )
        for h in hosts
    )
    sessions = _sessions(session, event, lo, hi, exclude_booking)
    return EventInputs(event, event_spec(event), availabilities, sessions, {h.id: h for h in hosts})


def _schedules(
    session: Session, event: Event, host_ids: list[uuid.UUID]
) -> dict[uuid.UUID, av.Schedule]:
    """Each host's schedule: the event's pinned one if it is theirs, else their default."""
    rows = session.scalars(
        select(AvailabilitySchedule)
        .where(AvailabilitySchedule.admin_id.in_(host_ids))
        .order_by(AvailabilitySchedule.is_default.desc(), AvailabilitySchedule.created_at)
    ).all()
    chosen: dict[uuid.UUID, AvailabilitySchedule] = {}
    for row in rows:  # default schedules first
        chosen.setdefault(row.admin_id, row)
    pinned = next((row for row in rows if row.id == event.schedule_id), None)
    if pinned is not None:
        chosen[pinned.admin_id] = pinned
    ids = [s.id for s in chosen.values()]
    rules: dict[uuid.UUID, list[av.WeeklyRule]] = defaultdict(list)
    for rule in session.scalars(
        select(AvailabilityRule).where(AvailabilityRule.schedule_id.in_(ids))
    ):
        rules[rule.schedule_id].append(av.WeeklyRule(rule.weekday, rule.start_time, rule.end_time))
    days: dict[uuid.UUID, dict[date, list[tuple[time, time]]]] = defaultdict(dict)
    for o in session.scalars(
        select(AvailabilityOverride).where(AvailabilityOverride.schedule_id.in_(ids))
    ):
        spans = days[o.schedule_id].setdefault(o.day, [])
        if o.start_time is not None and o.end_time is not None:
            spans.append((o.start_time, o.end_time))
    return {
        admin_id: av.Schedule(
            timezone=s.timezone,
            weekly=tuple(rules[s.id]),
            overrides=tuple(
                av.DateOverride(day, tuple(sorted(spans))) for day, spans in days[s.id].items()
            ),
        )
        for admin_id, s in chosen.items()
    }


BUSY_SQL = text(
    """
    SELECT o.admin_id,
           coalesce(o.booking_id, o.slot_id) AS block_id,
           coalesce(b.event_id, s.event_id) AS event_id,
           coalesce(b.starts_at, s.starts_at) AS starts_at,
           coalesce(b.ends_at, s.ends_at) AS ends_at,
           lower(o.during) AS occupied_from,
           upper(o.during) AS occupied_to
    FROM oh_host_occupancy o
    LEFT JOIN oh_bookings b ON b.org_id = o.org_id AND b.id = o.booking_id
    LEFT JOIN oh_slots s ON s.org_id = o.org_id AND s.id = o.slot_id
    WHERE o.org_id = oh_current_org()
      AND o.admin_id = ANY(CAST(:hosts AS uuid[]))
      AND o.during && tstzrange(CAST(:lo AS timestamptz), CAST(:hi AS timestamptz))
      AND (CAST(:exclude AS uuid) IS NULL OR o.booking_id IS DISTINCT FROM CAST(:exclude AS uuid))
    """
)


def _busy_blocks(
    session: Session,
    host_ids: list[uuid.UUID],
    lo: datetime,
    hi: datetime,
    exclude_booking: uuid.UUID | None,
) -> dict[uuid.UUID, list[av.BusyBlock]]:
    """Committed time of each host, from the occupancy table."""
    out: dict[uuid.UUID, list[av.BusyBlock]] = defaultdict(list)
    rows = session.execute(
        BUSY_SQL, {"hosts": host_ids, "lo": lo, "hi": hi, "exclude": exclude_booking}
    )
    for row in rows:
        out[row.admin_id].append(_block(row))
    return out


def _block(row: Row) -> av.BusyBlock:  # type: ignore[type-arg]
    before = int((row.starts_at - row.occupied_from).total_seconds() // 60)
    after = int((row.occupied_to - row.ends_at).total_seconds() // 60)
    return av.BusyBlock(
        booking_id=row.block_id,
        event_id=row.event_id,
        start=row.starts_at,
        end=row.ends_at,
        buffer_before=before,
        buffer_after=after,
    )


def _time_off(
    session: Session, host_ids: list[uuid.UUID], lo: datetime, hi: datetime
) -> dict[uuid.UUID, list[av.Interval]]:
    out: dict[uuid.UUID, list[av.Interval]] = defaultdict(list)
    for row in session.scalars(
        select(TimeOff).where(
            TimeOff.admin_id.in_(host_ids), TimeOff.ends_at > lo, TimeOff.starts_at < hi
        )
    ):
        out[row.admin_id].append(av.Interval(row.starts_at, row.ends_at))
    return out


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
            Booking.id != exclude_booking if exclude_booking else True,
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
