"""Bookings as staff see them: a scoped, filtered list, and recording attendance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit, can, require
from scheduling.booking.changes import host_ids, lock_booking
from scheduling.booking.errors import InvalidTransition
from scheduling.models import (
    Admin,
    Attendance,
    Attendee,
    Booking,
    BookingHost,
    BookingStatus,
    Event,
    EventHost,
)


@dataclass(frozen=True, slots=True)
class BookingFilter:
    """What the bookings table asks for; every field optional."""

    status: BookingStatus | None = None
    event_id: uuid.UUID | None = None
    host_id: uuid.UUID | None = None
    attendee: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


@dataclass(frozen=True, slots=True)
class BookingRow:
    """One line of the bookings table."""

    id: uuid.UUID
    event: str
    starts_at: datetime
    ends_at: datetime
    status: str
    attendance: str
    attendee: str
    attendee_email: str
    hosts: str


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the event and host filters offer: (id, name) pairs within the actor's reach."""

    events: tuple[tuple[uuid.UUID, str], ...]
    hosts: tuple[tuple[uuid.UUID, str], ...]


def _reach(actor: Actor) -> set[uuid.UUID] | None:
    """Whose bookings `actor` reads: None for everyone's, else these hosts'."""
    if actor.kind == "system" or actor.scope == "org":
        return None
    return {a for a in (actor.admin_id,) if a} | (
        set(actor.teammates) if actor.scope == "team" else set()
    )


def filter_choices(session: Session, actor: Actor) -> FilterChoices:
    """Events and hosts to filter by: everyone's for organisation scope, else the events
    and people within the actor's own or team reach."""
    require(actor, "bookings.read", what="see bookings")
    reach = _reach(actor)
    hosts = select(Admin.id, Admin.name).where(Admin.is_host).order_by(Admin.name)
    events = select(Event.id, Event.title).order_by(Event.title)
    if reach is not None:
        hosts = hosts.where(Admin.id.in_(reach))
        hosted = select(BookingHost.booking_id).where(BookingHost.admin_id.in_(reach))
        events = events.where(
            Event.id.in_(select(Booking.event_id).where(Booking.id.in_(hosted)))
            | Event.id.in_(select(EventHost.event_id).where(EventHost.admin_id.in_(reach)))
        )
    return FilterChoices(
        tuple((i, n) for i, n in session.execute(events)),
        tuple((i, n) for i, n in session.execute(hosts)),
    )


def within_reach(stmt: Select, actor: Actor) -> Select:  # type: ignore[type-arg]
    """Bookings `stmt` narrowed to the actor's scope: members' own (those they host),
    managers' their teams', everyone else's the whole organisation."""
    reach = _reach(actor)
    if reach is None:
        return stmt
    hosted = select(BookingHost.booking_id).where(BookingHost.admin_id.in_(reach))
    return stmt.where(Booking.id.in_(hosted))


def list_bookings(session: Session, actor: Actor, query: BookingFilter) -> list[BookingRow]:
    """The bookings `actor` may read that match `query`, soonest first."""
    require(actor, "bookings.read", what="see bookings")
    hosts = (
        select(func.string_agg(Admin.name, ", "))
        .join(
            BookingHost, (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id)
        )
        .where(BookingHost.booking_id == Booking.id)
        .scalar_subquery()
    )
    stmt = (
        select(Booking, Event.title, Attendee.name, Attendee.email, hosts)
        .join(Event, (Event.org_id == Booking.org_id) & (Event.id == Booking.event_id))
        .join(
            Attendee,
            (Attendee.org_id == Booking.org_id)
            & (Attendee.booking_id == Booking.id)
            & ~Attendee.is_guest,
        )
        .order_by(Booking.starts_at)
        .limit(query.limit)
    )
    stmt = _filtered(within_reach(stmt, actor), query)
    return [
        BookingRow(
            b.id,
            title,
            b.starts_at,
            b.ends_at,
            b.status.value,
            b.attendance.value,
            name or email,
            email,
            host_names or "",
        )
        for b, title, name, email, host_names in session.execute(stmt)
    ]


def _filtered(stmt: Select, query: BookingFilter) -> Select:  # type: ignore[type-arg]
    if query.status:
        stmt = stmt.where(Booking.status == query.status)
    if query.event_id:
        stmt = stmt.where(Booking.event_id == query.event_id)
    if query.host_id:
        stmt = stmt.where(
            Booking.id.in_(
                select(BookingHost.booking_id).where(BookingHost.admin_id == query.host_id)
            )
        )
    if query.attendee:
        needle = f"%{query.attendee.strip()}%"
        stmt = stmt.where(Attendee.email.ilike(needle) | Attendee.name.ilike(needle))
    if query.since:
        stmt = stmt.where(Booking.starts_at >= query.since)
    if query.until:
        stmt = stmt.where(Booking.starts_at < query.until)
    return stmt


def mark_attendance(
    session: Session,
    actor: Actor,
    booking_id: uuid.UUID,
    attendance: Attendance,
    *,
    now: datetime,
) -> Booking:
    """Record after a meeting whether the attendee came (hosts and their managers)."""
    booking = lock_booking(session, booking_id)
    require(actor, "bookings.update", host_ids(session, booking.id), what="record attendance")
    if booking.status is not BookingStatus.CONFIRMED or booking.starts_at > now:
        raise InvalidTransition("Attendance can be recorded for confirmed meetings that began.")
    before = {"attendance": booking.attendance.value}
    booking.attendance = attendance
    audit(
        session,
        actor,
        "booking.attendance_marked",
        "booking",
        booking.id,
        before,
        {"attendance": attendance.value},
    )
    return booking


def may_change(actor: Actor, session: Session, booking_id: uuid.UUID) -> bool:
    """Whether `actor` may approve, cancel or mark this booking (for showing buttons)."""
    return can(actor, "bookings.update", host_ids(session, booking_id))
