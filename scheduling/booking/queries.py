"""Read-only views the faces show: an event with hosts and questions, slots grouped by day."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling import availability as av
from scheduling.booking.inputs import event_hosts
from scheduling.booking.setup import live_questions
from scheduling.models import (
    Admin,
    Booking,
    BookingHost,
    BookingStatus,
    Event,
    EventHost,
    PrepResource,
    Question,
)


@dataclass(frozen=True, slots=True)
class EventDetails:
    """An event as its public page shows it."""

    event: Event
    hosts: tuple[Admin, ...]
    questions: tuple[Question, ...]
    prep_resources: tuple[PrepResource, ...]


def event_details(session: Session, event: Event) -> EventDetails:
    """The event with its hosts, questions and preparation resources."""
    prep = session.scalars(
        select(PrepResource)
        .where(PrepResource.event_id == event.id)
        .order_by(PrepResource.position)
    ).all()
    hosts = tuple(event_hosts(session, event))
    return EventDetails(event, hosts, live_questions(session, event), tuple(prep))


def public_events(session: Session, host_slug: str | None = None) -> list[Event]:
    """Active events, optionally those one host takes part in, by title."""
    stmt = select(Event).where(Event.is_active).order_by(Event.title)
    if host_slug:
        stmt = (
            stmt.join(
                EventHost, (EventHost.org_id == Event.org_id) & (EventHost.event_id == Event.id)
            )
            .join(Admin, (Admin.org_id == EventHost.org_id) & (Admin.id == EventHost.admin_id))
            .where(Admin.slug == host_slug)
        )
    return list(session.scalars(stmt))


def host_by_slug(session: Session, slug: str) -> Admin | None:
    """An active host by slug."""
    return session.scalars(select(Admin).where(Admin.slug == slug, Admin.is_active)).first()


def booking_host_names(session: Session, booking_id: uuid.UUID) -> list[str]:
    """Names of a booking's hosts."""
    return list(
        session.scalars(
            select(Admin.name)
            .join(
                BookingHost,
                (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id),
            )
            .where(BookingHost.booking_id == booking_id)
            .order_by(Admin.name)
        )
    )


def local_days(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in `zone`, as aware datetimes."""
    tz = ZoneInfo(zone)
    return (
        datetime.combine(start, time(), tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=tz),
    )


def slots_by_day(slots: list[av.Slot], zone: str) -> dict[date, list[av.Slot]]:
    """Slots grouped by their local date in `zone`, in order; days without slots left out."""
    tz = ZoneInfo(zone)
    days: dict[date, list[av.Slot]] = defaultdict(list)
    for slot in slots:
        days[slot.start.astimezone(tz).date()].append(slot)
    return dict(days)


def latest_in_chain(session: Session, booking: Booking) -> Booking | None:
    """Where a rescheduled booking went, following the chain; None if it did not move."""
    current = booking
    for _ in range(50):  # a chain longer than this is a data error, not a loop to follow
        if current.status is not BookingStatus.RESCHEDULED:
            break
        moved = session.scalars(
            select(Booking).where(Booking.rescheduled_from_id == current.id)
        ).first()
        if moved is None:
            return None
        current = moved
    return current if current is not booking else None
