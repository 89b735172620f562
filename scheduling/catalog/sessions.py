"""Scheduled sessions of group events (`oh_slots`): add one, add a weekly run, delete.

The engine offers a group event only at its sessions (not bound to working hours); every
host of the event takes part in each session, and a session with a booking holds their time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling import availability as av
from scheduling.access import Actor, audit
from scheduling.catalog.errors import EventMissing, InvalidEvent
from scheduling.catalog.events import load_event, require_event_change
from scheduling.models import Booking, BookingStatus, Event, GroupSession, MeetingType
from scheduling.zones import valid_timezone

LIVE = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)
MAX_RUN_DAYS = 366
NOT_GROUP = "Sessions belong to group events; change the meeting type to group first."


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session as the console lists it, with the seats its live bookings take."""

    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_taken: int
    bookings: int


def list_sessions(
    session: Session, event_id: uuid.UUID, *, since: datetime | None = None
) -> list[SessionRow]:
    """The event's sessions (not cancelled) ending after `since`, soonest first."""
    live = (
        select(
            Booking.slot_id,
            func.sum(Booking.seats).label("seats"),
            func.count().label("n"),
        )
        .where(Booking.event_id == event_id, Booking.status.in_(LIVE))
        .group_by(Booking.slot_id)
        .subquery()
    )
    stmt = (
        select(GroupSession, live.c.seats, live.c.n)
        .outerjoin(live, live.c.slot_id == GroupSession.id)
        .where(GroupSession.event_id == event_id, GroupSession.is_cancelled.is_(False))
        .order_by(GroupSession.starts_at)
    )
    if since is not None:
        stmt = stmt.where(GroupSession.ends_at > since)
    return [
        SessionRow(g.id, g.starts_at, g.ends_at, g.capacity, int(seats or 0), int(n or 0))
        for g, seats, n in session.execute(stmt)
    ]


def _group_event(
    session: Session, actor: Actor, event_id: uuid.UUID
) -> tuple[Event, list[uuid.UUID]]:
    event = load_event(session, event_id, lock=True)
    hosts = require_event_change(session, actor, event)
    if event.meeting_type is not MeetingType.GROUP:
        raise InvalidEvent({"meeting_type": NOT_GROUP})
    return event, hosts


def _clash(
    session: Session, event_id: uuid.UUID, start: datetime, end: datetime
) -> GroupSession | None:
    """A session of this event overlapping [start, end): both would need the same hosts."""
    return session.scalars(
        select(GroupSession)
        .where(
            GroupSession.event_id == event_id,
            GroupSession.is_cancelled.is_(False),
            GroupSession.starts_at < end,
            GroupSession.ends_at > start,
        )
        .limit(1)
    ).first()


def _length_and_seats(
    event: Event, duration_minutes: int | None, capacity: int | None, errors: dict[str, str]
) -> tuple[int, int]:
    minutes = event.duration_minutes if duration_minutes is None else duration_minutes
    seats = event.capacity if capacity is None else capacity
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 1440:
        errors["duration_minutes"] = "The duration is minutes, from 1 to 1440."
    if isinstance(seats, bool) or not isinstance(seats, int) or not 0 < seats <= 10_000:
        errors["capacity"] = "Capacity is a number of seats, at least 1."
    return minutes, seats


def _new_session(
    session: Session,
    actor: Actor,
    event: Event,
    host: uuid.UUID | None,
    start: datetime,
    minutes: int,
    seats: int,
) -> GroupSession:
    """Insert one session and its audit row."""
    row = GroupSession(
        org_id=event.org_id,
        id=uuid.uuid4(),
        event_id=event.id,
        host_id=host,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        capacity=seats,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor,
        "session.created",
        "session",
        row.id,
        None,
        {
            "event_id": event.id,
            "starts_at": row.starts_at,
            "ends_at": row.ends_at,
            "capacity": seats,
        },
    )
    return row


def add_session(
    session: Session,
    actor: Actor,
    event_id: uuid.UUID,
    *,
    starts_at: datetime,
    now: datetime,
    duration_minutes: int | None = None,
    capacity: int | None = None,
) -> GroupSession:
    """One session of a group event; length and seats default to the event's."""
    event, hosts = _group_event(session, actor, event_id)
    errors: dict[str, str] = {}
    minutes, seats = _length_and_seats(event, duration_minutes, capacity, errors)
    if starts_at.tzinfo is None:
        errors["starts_at"] = "The start needs a time zone."
    elif starts_at <= now:
        errors["starts_at"] = "Choose a start in the future."
    elif "duration_minutes" not in errors:
        other = _clash(session, event.id, starts_at, starts_at + timedelta(minutes=minutes))
        if other is not None:
            errors["starts_at"] = f"Overlaps the session at {other.starts_at:%Y-%m-%d %H:%M} UTC."
    if errors:
        raise InvalidEvent(errors)
    return _new_session(
        session, actor, event, hosts[0] if hosts else None, starts_at, minutes, seats
    )


def add_weekly_sessions(
    session: Session,
    actor: Actor,
    event_id: uuid.UUID,
    *,
    weekdays: Sequence[int],
    start_time: time,
    first_day: date,
    last_day: date,
    now: datetime,
    timezone: str | None = None,
    duration_minutes: int | None = None,
    capacity: int | None = None,
) -> list[GroupSession]:
    """Sessions at `start_time` (wall clock in `timezone`, default the event's display zone)
    on `weekdays` (0 = Monday) from `first_day` to `last_day`. Days whose wall time does not
    exist (clocks moving forward) are skipped, as are starts already past; a start that
    overlaps an existing session refuses the whole run."""
    event, hosts = _group_event(session, actor, event_id)
    errors: dict[str, str] = {}
    minutes, seats = _length_and_seats(event, duration_minutes, capacity, errors)
    zone = timezone or event.display_timezone
    if not valid_timezone(zone):
        errors["timezone"] = f"Unknown time zone {zone!r}."
    if not weekdays or any(d not in range(7) for d in weekdays):
        errors["weekdays"] = "Choose at least one day of the week."
    if last_day < first_day:
        errors["last_day"] = "The last day is before the first."
    elif (last_day - first_day).days >= MAX_RUN_DAYS:
        errors["last_day"] = f"Add at most {MAX_RUN_DAYS} days of sessions at a time."
    if errors:
        raise InvalidEvent(errors)
    pattern = av.RecurringPattern(
        pattern_id="run",
        weekdays=tuple(sorted(set(weekdays))),
        start_time=start_time.replace(tzinfo=None, second=0, microsecond=0),
        duration_minutes=minutes,
        timezone=zone,
        capacity=seats,
    )
    starts = [s.start for s in av.expand_recurring_sessions(pattern, first_day, last_day)]
    starts = [s for s in starts if s > now]
    if not starts:
        raise InvalidEvent({"weekdays": "No future date in that range falls on those days."})
    for start in starts:
        other = _clash(session, event.id, start, start + timedelta(minutes=minutes))
        if other is not None:
            raise InvalidEvent(
                {"first_day": f"Overlaps the session at {other.starts_at:%Y-%m-%d %H:%M} UTC."}
            )
    host = hosts[0] if hosts else None
    return [_new_session(session, actor, event, host, s, minutes, seats) for s in starts]


def delete_session(session: Session, actor: Actor, session_id: uuid.UUID) -> None:
    """Remove a session nobody is booked into. A session whose bookings were all cancelled
    is marked cancelled instead (its history keeps pointing at it)."""
    row = session.scalars(
        select(GroupSession).where(GroupSession.id == session_id).with_for_update()
    ).first()
    if row is None:
        raise EventMissing("We could not find that session.")
    event = load_event(session, row.event_id, lock=True)
    require_event_change(session, actor, event)
    counts = dict(
        session.execute(
            select(Booking.status, func.count())
            .where(Booking.slot_id == row.id)
            .group_by(Booking.status)
        ).all()
    )
    live = sum(counts.get(s, 0) for s in LIVE)
    if live:
        raise InvalidEvent(
            {
                "session": f"This session has {live} booking(s); cancel them on the Bookings "
                "page first, so the attendees are told."
            }
        )
    before = {"starts_at": row.starts_at, "ends_at": row.ends_at, "capacity": row.capacity}
    if counts:
        row.is_cancelled = True
    else:
        session.delete(row)
    session.flush()
    audit(session, actor, "session.deleted", "session", session_id, before, None)
