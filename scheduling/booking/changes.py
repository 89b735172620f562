"""Changes to existing bookings: reschedule, cancel, approve, decline, token checks.

Each runs in the caller's transaction, locks the booking row first, writes a domain event
and queues the messages; freed time is released by deleting its occupancy rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit, require, snapshot
from scheduling.booking import errors
from scheduling.booking.inputs import BusyTimeSource
from scheduling.booking.service import (
    BookingResult,
    _check,
    _insert,
    checked_inputs,
    claim_seats,
    derived_idempotency_key,
    secret_key,
)
from scheduling.booking.tokens import manage_token, token_matches
from scheduling.booking.validation import BookingRequest, valid_timezone
from scheduling.events import (
    BookingApproved,
    BookingCancelled,
    BookingDeclined,
    BookingRescheduled,
    booking_event,
    track_event,
)
from scheduling.models import (
    Answer,
    Attendee,
    Booking,
    BookingHost,
    BookingStatus,
    Event,
    HostOccupancy,
    MeetingType,
    TemplateKind,
)
from scheduling.notify.dispatch import cancel_reminders, queue_messages, queue_reminders

LIVE = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)


def as_actor(booking: Booking, actor: Actor | str) -> Actor:
    """A plain string names an attendee whose self-service token the caller has verified
    (see `verify_attendee`); such an actor may change that booking only."""
    if isinstance(actor, Actor):
        return actor
    return Actor.attendee(booking.org_id, actor, booking_id=booking.id)


def host_ids(session: Session, booking_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """The hosts of a booking: who owns it for scope checks."""
    return frozenset(
        session.scalars(select(BookingHost.admin_id).where(BookingHost.booking_id == booking_id))
    )


def require_change(session: Session, actor: Actor, booking: Booking, what: str) -> None:
    """Staff need bookings.update over the booking's hosts; attendees their own booking."""
    if actor.kind == "attendee":
        if actor.booking_id != booking.id:
            raise errors.NotAllowed("This link is not valid for that booking.")
        return
    require(actor, "bookings.update", host_ids(session, booking.id), what=what)


STATE = ("status", "starts_at", "ends_at", "cancelled_by", "cancellation_reason")


def _state(booking: Booking) -> dict[str, object]:
    return snapshot(booking, STATE)


def lock_booking(session: Session, booking_id: uuid.UUID) -> Booking:
    """The booking, locked for this transaction, or BookingNotFound."""
    booking = session.scalars(
        select(Booking).where(Booking.id == booking_id).with_for_update()
    ).first()
    if booking is None:
        raise errors.BookingNotFound("We could not find that booking.")
    return booking


def verify_attendee(session: Session, booking_id: uuid.UUID, token: str) -> Booking:
    """The booking if `token` is its live self-service token, else NotAllowed."""
    booking = session.get(Booking, (session.info["org_id"], booking_id))
    if booking is None or not token_matches(token, booking.manage_token_hash):
        raise errors.NotAllowed("This link is not valid for that booking.")
    if booking.manage_token_revoked_at is not None:
        raise errors.NotAllowed("This link has been revoked; ask the host for a new one.")
    return booking


def revoke_token(
    session: Session, booking_id: uuid.UUID, *, now: datetime, actor: Actor | str
) -> None:
    """Make the booking's self-service link stop working."""
    booking = lock_booking(session, booking_id)
    who = as_actor(booking, actor)
    require_change(session, who, booking, "revoke this booking's link")
    booking.manage_token_revoked_at = now
    audit(session, who, "booking.token_revoked", "booking", booking.id)


def _release(session: Session, booking: Booking) -> None:
    """Free the time a booking held (for a group session: once its last booking goes)."""
    session.execute(delete(HostOccupancy).where(HostOccupancy.booking_id == booking.id))
    if booking.slot_id is not None:
        remaining = session.scalar(
            text(
                "SELECT count(*) FROM oh_bookings WHERE org_id = oh_current_org() AND slot_id = :s "
                "AND id <> :b AND status IN ('confirmed', 'pending_approval')"
            ),
            {"s": booking.slot_id, "b": booking.id},
        )
        if not remaining:
            session.execute(delete(HostOccupancy).where(HostOccupancy.slot_id == booking.slot_id))
    if booking.idempotency_key and booking.idempotency_key.startswith("auto:"):
        booking.idempotency_key = None  # the same attendee may book this time again


def _require_live(booking: Booking, action: str) -> None:
    if booking.status not in LIVE:
        raise errors.InvalidTransition(
            f"This booking is {booking.status.value.replace('_', ' ')} and cannot be {action}."
        )


def cancel_booking(
    session: Session,
    booking_id: uuid.UUID,
    *,
    now: datetime,
    actor: Actor | str,
    reason: str = "",
) -> Booking:
    """Cancel: record who and why, free the time, drop reminders, tell everyone."""
    booking = lock_booking(session, booking_id)
    who = as_actor(booking, actor)
    require_change(session, who, booking, "cancel this booking")
    _require_live(booking, "cancelled")
    before = _state(booking)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at, booking.cancelled_by = now, who.label
    booking.cancellation_reason = reason.strip()[:2000] or None
    booking.ics_sequence += 1
    _release(session, booking)
    cancel_reminders(session, booking.id)
    track_event(
        session,
        booking_event(
            BookingCancelled,
            booking,
            actor=who.label,
            now=now,
            reason=booking.cancellation_reason or "",
        ),
    )
    queue_messages(session, booking, TemplateKind.CANCELLATION)
    audit(session, who, "booking.cancelled", "booking", booking.id, before, _state(booking))
    return booking


def reschedule_booking(
    session: Session,
    booking_id: uuid.UUID,
    new_start: datetime,
    *,
    now: datetime,
    actor: Actor | str,
    timezone: str | None = None,
    calendars: BusyTimeSource | None = None,
) -> BookingResult:
    """Move a booking atomically: the new one is confirmed and linked, the old one marked."""
    old = lock_booking(session, booking_id)
    who = as_actor(old, actor)
    require_change(session, who, old, "reschedule this booking")
    _require_live(old, "rescheduled")
    before = _state(old)
    if new_start.tzinfo is None:
        raise errors.InvalidBooking({"start": "The start time needs a UTC offset or zone."})
    if timezone and not valid_timezone(timezone):
        raise errors.InvalidBooking({"timezone": f"Unknown time zone {timezone!r}."})
    event = session.get(Event, (old.org_id, old.event_id))
    assert event is not None
    main, guests = _people(session, old)
    inputs = checked_inputs(session, event, new_start, exclude=old.id, calendars=calendars)
    slot = _check(inputs, new_start, now, guests=len(guests))
    previous_hosts = list(
        session.scalars(select(BookingHost.admin_id).where(BookingHost.booking_id == old.id))
    )
    _release(session, old)
    kept_status, old.status = old.status, BookingStatus.RESCHEDULED
    if event.meeting_type is MeetingType.GROUP:
        claim_seats(session, slot, 1 + len(guests))
    request = BookingRequest(
        start=new_start,
        name=main.name or main.email,
        email=main.email,
        timezone=timezone or old.attendee_timezone or main.timezone or "UTC",
        guests=tuple(g.email for g in guests),
        phone=main.phone,
        source=old.source,
        referrer=old.referrer,
        utm=old.utm,
    )
    answers = {
        str(a.question_id): a.value
        for a in session.scalars(select(Answer).where(Answer.booking_id == old.id))
    }
    key = derived_idempotency_key(event.id, new_start, main.email)
    written = _insert(
        session,
        old.org_id,
        inputs,
        slot,
        request,
        key,
        answers,
        status=kept_status,  # an approved booking stays approved, a pending one pending
        ical_uid=old.ical_uid,
        sequence=old.ics_sequence + 1,
        rescheduled_from=old.id,
        prefer_hosts=previous_hosts,
    )
    if written is None:  # the attendee already has a live booking of this event then
        raise errors.SlotTaken()
    new, hosts = written
    cancel_reminders(session, old.id)
    track_event(
        session,
        booking_event(
            BookingRescheduled,
            new,
            actor=who.label,
            now=now,
            previous_booking_id=old.id,
            previous_starts_at=old.starts_at,
        ),
    )
    queue_messages(session, new, TemplateKind.RESCHEDULE)
    queue_reminders(session, new, now)
    audit(
        session,
        who,
        "booking.rescheduled",
        "booking",
        old.id,
        before,
        {**_state(new), "new_booking_id": str(new.id)},
    )
    names = tuple(sorted(inputs.host_rows[h].name for h in hosts))
    return BookingResult(new, hosts, manage_token(secret_key(), new.id), host_names=names)


def _people(session: Session, booking: Booking) -> tuple[Attendee, list[Attendee]]:
    people = session.scalars(
        select(Attendee).where(Attendee.booking_id == booking.id).order_by(Attendee.is_guest)
    ).all()
    return people[0], [p for p in people if p.is_guest]


def approve_booking(
    session: Session, booking_id: uuid.UUID, *, now: datetime, actor: Actor
) -> Booking:
    """Confirm a pending booking and send the invitation and reminders (staff only)."""
    booking = lock_booking(session, booking_id)
    require(actor, "bookings.update", host_ids(session, booking.id), what="approve bookings")
    if booking.status is not BookingStatus.PENDING_APPROVAL:
        raise errors.InvalidTransition("Only bookings awaiting approval can be approved.")
    before = _state(booking)
    booking.status = BookingStatus.CONFIRMED
    booking.ics_sequence += 1
    audit(session, actor, "booking.approved", "booking", booking.id, before, _state(booking))
    track_event(session, booking_event(BookingApproved, booking, actor=actor.label, now=now))
    queue_messages(session, booking, TemplateKind.APPROVED, hosts=False)
    queue_reminders(session, booking, now)
    return booking


def decline_booking(
    session: Session, booking_id: uuid.UUID, *, now: datetime, actor: Actor, reason: str = ""
) -> Booking:
    """Decline a pending booking: its time is free again and the attendee is told."""
    booking = lock_booking(session, booking_id)
    require(actor, "bookings.update", host_ids(session, booking.id), what="decline bookings")
    if booking.status is not BookingStatus.PENDING_APPROVAL:
        raise errors.InvalidTransition("Only bookings awaiting approval can be declined.")
    before = _state(booking)
    booking.status = BookingStatus.DECLINED
    booking.cancelled_at, booking.cancelled_by = now, actor.label
    booking.cancellation_reason = reason.strip()[:2000] or None
    booking.ics_sequence += 1
    _release(session, booking)
    track_event(
        session,
        booking_event(
            BookingDeclined,
            booking,
            actor=actor.label,
            now=now,
            reason=booking.cancellation_reason or "",
        ),
    )
    queue_messages(session, booking, TemplateKind.DECLINED, hosts=False)
    audit(session, actor, "booking.declined", "booking", booking.id, before, _state(booking))
    return booking
