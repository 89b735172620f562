"""Hand a booking to another host: same time, same attendee, another person hosting.

Who may take it: an active host of the booking's event (oh_event_hosts) — the people the
event says can run this meeting; to hand it to someone else, add them to the event first.
The new host must be free by the engine's own rules: working hours, time off, busy time
(buffers as booked), external calendars and their personal daily/weekly limits. Minimum
notice, the booking window and the event's own limits do not apply: the meeting is already
booked. The exclusion constraint on `oh_host_occupancy` settles races.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

from psycopg.errors import ExclusionViolation
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling import availability as av
from scheduling.access import Actor, audit, can, require
from scheduling.booking import errors
from scheduling.booking.changes import LIVE, host_ids, lock_booking
from scheduling.booking.inputs import BusyTimeSource, event_hosts, load_inputs
from scheduling.booking.service import lock_keys
from scheduling.events import BookingReassigned, booking_event, track_event
from scheduling.models import (
    Admin,
    Booking,
    BookingHost,
    Event,
    HostOccupancy,
    MeetingType,
    TemplateKind,
)
from scheduling.notify.dispatch import queue_message, queue_messages

REFUSALS = {
    "busy": "{name} is busy then.",
    "time_off": "{name} is off then.",
    "limit_reached": "{name} has reached their meeting limit for that day or week.",
    "outside_hours": "{name} does not work then.",
}


def possible_new_hosts(
    session: Session, actor: Actor, booking_id: uuid.UUID
) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the event's active hosts this actor may hand the booking to."""
    booking = session.scalars(select(Booking).where(Booking.id == booking_id)).one()
    event = session.scalars(select(Event).where(Event.id == booking.event_id)).one()
    current = host_ids(session, booking.id)
    return [
        (h.id, h.name)
        for h in event_hosts(session, event)
        if h.id not in current and can(actor, "bookings.update", frozenset({h.id}))
    ]


def reassign_booking(
    session: Session,
    booking_id: uuid.UUID,
    to_host_id: uuid.UUID,
    *,
    now: datetime,
    actor: Actor,
    from_host_id: uuid.UUID | None = None,
    calendars: BusyTimeSource | None = None,
) -> Booking:
    """Move the booking from one host to another active host of its event, in one transaction.

    Staff need bookings.update over the booking's hosts and over the new host. The attendee,
    the new host and the former host are told; the former host's calendar drops the meeting.
    """
    booking = lock_booking(session, booking_id)
    current = host_ids(session, booking.id)
    require(actor, "bookings.update", current, what="reassign this booking")
    require(actor, "bookings.update", frozenset({to_host_id}), what="hand bookings to that host")
    event = session.scalars(select(Event).where(Event.id == booking.event_id)).one()
    _check_movable(booking, event, now)
    from_host = _from_host(current, from_host_id)
    new_host = _new_host(session, event, current, to_host_id)
    lock_keys(session, [event.id, from_host, to_host_id])
    _check_free(session, booking, event, new_host, now, calendars)
    old_names = _names(session, current)
    _occupy(session, booking, new_host)
    session.execute(
        delete(HostOccupancy).where(
            HostOccupancy.booking_id == booking.id, HostOccupancy.admin_id == from_host
        )
    )
    session.execute(
        delete(BookingHost).where(
            BookingHost.booking_id == booking.id, BookingHost.admin_id == from_host
        )
    )
    session.add(BookingHost(org_id=booking.org_id, booking_id=booking.id, admin_id=new_host.id))
    booking.ics_sequence += 1  # calendars replace the event: new organiser or attendee list
    session.flush()
    after = host_ids(session, booking.id)
    track_event(
        session,
        booking_event(
            BookingReassigned,
            booking,
            actor=actor.label,
            now=now,
            from_host_id=from_host,
            to_host_id=new_host.id,
        ),
    )
    _tell(session, booking, (from_host, new_host.id))
    audit(
        session,
        actor,
        "booking.reassigned",
        "booking",
        booking.id,
        {"host_ids": sorted(map(str, current)), "hosts": old_names},
        {"host_ids": sorted(map(str, after)), "hosts": _names(session, after)},
    )
    return booking


def _check_movable(booking: Booking, event: Event, now: datetime) -> None:
    if booking.status not in LIVE:
        raise errors.InvalidTransition(
            f"This booking is {booking.status.value.replace('_', ' ')} and cannot be reassigned."
        )
    if booking.starts_at <= now:
        raise errors.InvalidTransition("This meeting has begun; it can no longer be reassigned.")
    if event.meeting_type is MeetingType.GROUP:
        raise errors.InvalidTransition(
            "Bookings of a group session keep the session's host; change the session instead."
        )


def _from_host(current: frozenset[uuid.UUID], from_host_id: uuid.UUID | None) -> uuid.UUID:
    if from_host_id is None:
        if len(current) != 1:
            raise errors.InvalidBooking({"from_host": "Choose which host to replace."})
        return next(iter(current))
    if from_host_id not in current:
        raise errors.InvalidBooking({"from_host": "That person does not host this booking."})
    return from_host_id


def _new_host(
    session: Session, event: Event, current: frozenset[uuid.UUID], to_host_id: uuid.UUID
) -> Admin:
    person = session.scalars(select(Admin).where(Admin.id == to_host_id)).first()
    if person is None:
        raise errors.InvalidBooking({"to_host": "Choose a person from the list."})
    if to_host_id in current:
        raise errors.InvalidBooking({"to_host": f"{person.name} already hosts this booking."})
    if not person.is_active:
        raise errors.InvalidBooking({"to_host": f"{person.name} is deactivated."})
    if to_host_id not in {h.id for h in event_hosts(session, event)}:
        raise errors.InvalidBooking(
            {"to_host": f"{person.name} does not host {event.title}; add them to the event first."}
        )
    return person


def _check_free(
    session: Session,
    booking: Booking,
    event: Event,
    host: Admin,
    now: datetime,
    calendars: BusyTimeSource | None,
) -> None:
    """The engine's verdict on the new host alone, for exactly this booking's time."""
    inputs = load_inputs(
        session,
        event,
        booking.starts_at,
        booking.ends_at,
        exclude_booking=booking.id,
        calendars=calendars,
    )
    availability = next(h for h in inputs.hosts if h.host_id == host.id)
    spec = dataclasses.replace(
        inputs.spec,
        meeting_type=av.MeetingType.ONE_ON_ONE,
        duration_minutes=_minutes(booking.ends_at - booking.starts_at),
        increment_minutes=1,  # any whole minute is on the grid: the time is already fixed
        buffer_before=booking.buffer_before,
        buffer_after=booking.buffer_after,
        min_notice_hours=0,
        booking_window_days=None,
        max_per_day=None,
        max_per_week=None,
    )
    try:
        av.check_slot(spec, [availability], now=now, start=booking.starts_at)
    except av.SlotUnavailable as exc:
        reason = exc.reason
        if reason == "busy" and _off(availability, booking):
            reason = "time_off"
        message = REFUSALS.get(reason, "{name} is not available then.")
        raise errors.HostUnavailable(message.format(name=host.name), reason=reason) from None


def _minutes(span: timedelta) -> int:
    return max(1, int(span.total_seconds() // 60))


def _off(host: av.HostAvailability, booking: Booking) -> bool:
    lo = booking.starts_at - timedelta(minutes=booking.buffer_before)
    hi = booking.ends_at + timedelta(minutes=booking.buffer_after)
    return any(i.start < hi and i.end > lo for i in host.time_off)


def _occupy(session: Session, booking: Booking, host: Admin) -> None:
    """Claim the new host's time with the buffers the booking was made with."""
    during = Range(
        booking.starts_at - timedelta(minutes=booking.buffer_before),
        booking.ends_at + timedelta(minutes=booking.buffer_after),
    )
    try:
        with session.begin_nested():
            session.add(
                HostOccupancy(
                    org_id=booking.org_id, admin_id=host.id, booking_id=booking.id, during=during
                )
            )
            session.flush()
    except IntegrityError as exc:
        if isinstance(exc.orig, ExclusionViolation):
            raise errors.HostUnavailable(f"{host.name} is busy then.", reason="busy") from None
        raise


def _names(session: Session, ids: frozenset[uuid.UUID]) -> list[str]:
    return sorted(session.scalars(select(Admin.name).where(Admin.id.in_(ids))))


def _tell(session: Session, booking: Booking, hosts: tuple[uuid.UUID, uuid.UUID]) -> None:
    """The attendee and guests, the new host and the former host each get one message;
    co-hosts who stay are not disturbed."""
    queue_messages(session, booking, TemplateKind.REASSIGNED, hosts=False)
    for email in session.scalars(
        select(Admin.email).where(Admin.id.in_(hosts)).order_by(Admin.email)
    ):
        queue_message(session, booking, TemplateKind.REASSIGNED, email, is_host=True)
