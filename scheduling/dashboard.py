"""The console's home: my next sessions, approvals waiting for me, today's numbers.

Everything is read in the signed-in person's zone ("today" is their day, not UTC's) and
scoped like the Bookings list: members count what they host, managers their teams', the
rest the whole organisation. Approvals are listed only to people who may decide them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from scheduling.access import Actor, can
from scheduling.booking.admin import within_reach
from scheduling.booking.queries import local_days
from scheduling.models import (
    Admin,
    Attendance,
    Attendee,
    Booking,
    BookingHost,
    BookingStatus,
    Event,
    Organization,
)

LIVE = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)
NO_SHOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class Meeting:
    """One booking as the home page lists it, times in the reader's zone."""

    booking_id: uuid.UUID
    event: str
    starts_at: datetime
    ends_at: datetime
    attendee: str
    attendee_email: str
    hosts: str
    status: str


@dataclass(frozen=True, slots=True)
class TodayNumbers:
    """Today's activity in the reader's zone, over the bookings they may read."""

    booked_today: int  # new bookings made today (a reschedule is not a new booking)
    meetings_today: int  # confirmed meetings starting today
    cancelled_today: int  # bookings cancelled today
    no_shows_last_7_days: int  # meetings in the last 7 days the attendee missed


@dataclass(frozen=True, slots=True)
class HomeView:
    """Everything the home page shows."""

    zone: str
    upcoming: list[Meeting]
    pending: list[Meeting]
    may_decide: bool  # whether the reader may approve or decline anything
    numbers: TodayNumbers | None  # None without bookings.read


def reader_zone(session: Session, actor: Actor) -> str:
    """The actor's own zone, else the organisation's, else UTC."""
    zone = None
    if actor.admin_id:
        zone = session.scalar(select(Admin.timezone).where(Admin.id == actor.admin_id))
    return zone or session.scalar(select(Organization.timezone)) or "UTC"


def _meetings(session: Session, stmt: Select, zone: str) -> list[Meeting]:  # type: ignore[type-arg]
    tz = ZoneInfo(zone)
    hosts = (
        select(func.string_agg(Admin.name, ", "))
        .join(
            BookingHost, (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id)
        )
        .where(BookingHost.booking_id == Booking.id)
        .scalar_subquery()
    )
    rows = session.execute(
        stmt.add_columns(Event.title, Attendee.name, Attendee.email, hosts)
        .join(Event, (Event.org_id == Booking.org_id) & (Event.id == Booking.event_id))
        .join(
            Attendee,
            (Attendee.org_id == Booking.org_id)
            & (Attendee.booking_id == Booking.id)
            & ~Attendee.is_guest,
        )
        .order_by(Booking.starts_at, Booking.id)
    )
    return [
        Meeting(
            b.id,
            title,
            b.starts_at.astimezone(tz),
            b.ends_at.astimezone(tz),
            name or email,
            email,
            host_names or "",
            b.status.value,
        )
        for b, title, name, email, host_names in rows
    ]


def my_upcoming(
    session: Session, actor: Actor, now: datetime, zone: str, limit: int = 10
) -> list[Meeting]:
    """The next `limit` live bookings the actor hosts (one under way included)."""
    if actor.admin_id is None:
        return []
    mine = select(BookingHost.booking_id).where(BookingHost.admin_id == actor.admin_id)
    stmt = (
        select(Booking)
        .where(Booking.id.in_(mine), Booking.status.in_(LIVE), Booking.ends_at > now)
        .limit(limit)
    )
    return _meetings(session, stmt, zone)


def pending_for(
    session: Session, actor: Actor, now: datetime, zone: str, limit: int = 20
) -> list[Meeting]:
    """Bookings awaiting approval that the actor may approve or decline, soonest first."""
    if not can(actor, "bookings.update"):
        return []
    stmt = select(Booking).where(
        Booking.status == BookingStatus.PENDING_APPROVAL, Booking.starts_at > now
    )
    return _meetings(session, within_reach(stmt, actor).limit(limit), zone)


def today_numbers(session: Session, actor: Actor, now: datetime, zone: str) -> TodayNumbers:
    """Today's numbers in `zone` over the bookings the actor may read."""
    local = now.astimezone(ZoneInfo(zone)).date()
    start, end = local_days(local, local, zone)

    def count(*conditions: object) -> int:
        stmt = within_reach(select(func.count()).select_from(Booking), actor)
        return int(session.scalar(stmt.where(*conditions)) or 0)  # type: ignore[arg-type]

    return TodayNumbers(
        booked_today=count(
            Booking.created_at >= start,
            Booking.created_at < end,
            Booking.rescheduled_from_id.is_(None),
        ),
        meetings_today=count(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.starts_at >= start,
            Booking.starts_at < end,
        ),
        cancelled_today=count(
            Booking.status == BookingStatus.CANCELLED,
            Booking.cancelled_at >= start,
            Booking.cancelled_at < end,
        ),
        no_shows_last_7_days=count(
            Booking.attendance == Attendance.NO_SHOW,
            Booking.starts_at >= now - timedelta(days=NO_SHOW_DAYS),
            Booking.starts_at < now,
        ),
    )


def home_view(session: Session, actor: Actor, now: datetime) -> HomeView:
    """What the home page shows `actor` at `now`."""
    zone = reader_zone(session, actor)
    return HomeView(
        zone=zone,
        upcoming=my_upcoming(session, actor, now, zone),
        pending=pending_for(session, actor, now, zone),
        may_decide=can(actor, "bookings.update"),
        numbers=today_numbers(session, actor, now, zone) if can(actor, "bookings.read") else None,
    )
