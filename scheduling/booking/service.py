"""Create bookings: one transaction that re-checks the slot under locks, then writes.

Per-host advisory locks serialise bookings that touch the same hosts, so limits and
availability are re-checked on committed data; the exclusion constraint on
`oh_host_occupancy` and the session row lock are the database's own guarantee against
double booking and overselling, whatever the Python does.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from psycopg.errors import ExclusionViolation, UniqueViolation
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling import availability as av
from scheduling.access import Actor, audit, snapshot
from scheduling.booking import errors
from scheduling.booking.inputs import BusyTimeSource, EventInputs, event_hosts, load_inputs
from scheduling.booking.tokens import manage_token, token_hash
from scheduling.booking.validation import BookingRequest, validate_request
from scheduling.config import get_config
from scheduling.events import BookingCreated, booking_event, track_event
from scheduling.models import (
    Answer,
    Attendee,
    Booking,
    BookingHost,
    BookingStatus,
    Event,
    GroupSession,
    HostOccupancy,
    MeetingType,
    Question,
    TemplateKind,
)
from scheduling.notify.dispatch import queue_messages, queue_reminders

TAKEN_REASONS = {"busy", "session_full", "limit_reached"}
REASON_MESSAGES = {
    "not_on_grid": "That start time is not one of the offered times.",
    "outside_window": "That time is outside the booking window.",
    "too_soon": "That time is too soon to book.",
    "outside_hours": "That time is outside the host's working hours.",
    "no_session": "There is no session at that time.",
}


@dataclass(frozen=True, slots=True)
class BookingResult:
    """A booking, its self-service token, and whether it was an idempotent replay."""

    booking: Booking
    host_ids: tuple[uuid.UUID, ...]
    manage_token: str
    replayed: bool = False


def secret_key() -> str:
    """The key self-service tokens are derived from."""
    return get_config().resolved_secret_key()


def get_event(
    session: Session, *, event_id: uuid.UUID | None = None, slug: str | None = None
) -> Event:
    """An active event by id or slug, or EventNotFound."""
    stmt = select(Event).where(Event.is_active)
    stmt = stmt.where(Event.id == event_id) if event_id else stmt.where(Event.slug == slug)
    event = session.scalars(stmt).first()
    if event is None:
        raise errors.EventNotFound("We could not find that event.")
    return event


def lock_keys(session: Session, keys: Iterable[uuid.UUID]) -> None:
    """Transaction-scoped advisory locks, always taken in the same order (no deadlocks)."""
    for key in sorted({str(k) for k in keys}):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})


def derived_idempotency_key(event_id: uuid.UUID, start: datetime, email: str) -> str:
    """The key of a request that brought none: same event, time and attendee = same booking."""
    raw = f"{event_id}|{start.astimezone(UTC).isoformat()}|{email.strip().lower()}"
    return "auto:" + hashlib.sha256(raw.encode()).hexdigest()


def create_booking(
    session: Session,
    org_id: uuid.UUID,
    event: Event,
    request: BookingRequest,
    *,
    now: datetime,
    actor: Actor | str = "attendee",
    calendars: BusyTimeSource | None = None,
) -> BookingResult:
    """Book `request.start` on `event`, or raise a BookingError saying why not.

    Booking is public: any actor may book; staff booking on someone's behalf are audited
    under their own name.
    """
    questions = session.scalars(
        select(Question)
        .where(Question.event_id == event.id, Question.archived_at.is_(None))
        .order_by(Question.position)
    ).all()
    answers = validate_request(request, event, questions)
    key = request.idempotency_key or derived_idempotency_key(event.id, request.start, request.email)
    inputs = _locked_inputs(session, event, request.start, calendars=calendars)
    existing = _replay(session, key, event, request)
    if existing is not None:
        return existing
    slot = _check(inputs, request.start, now, guests=len(request.guests))
    booking = _insert(session, org_id, inputs, slot, request, key, answers)
    hosts = chosen_hosts(event, slot)
    who = actor if isinstance(actor, Actor) else Actor.attendee(org_id, actor, booking.id)
    track_event(session, booking_event(BookingCreated, booking, actor=who.label, now=now))
    audit(
        session,
        who,
        "booking.created",
        "booking",
        booking.id,
        after=snapshot(booking, ("status", "starts_at", "ends_at", "event_id")),
    )
    if booking.status is BookingStatus.PENDING_APPROVAL:
        queue_messages(session, booking, TemplateKind.APPROVAL_REQUESTED)
    else:
        queue_messages(session, booking, TemplateKind.CONFIRMATION)
        queue_reminders(session, booking, now)
    return BookingResult(booking, hosts, manage_token(secret_key(), booking.id))


def _locked_inputs(
    session: Session,
    event: Event,
    start: datetime,
    *,
    exclude: uuid.UUID | None = None,
    calendars: BusyTimeSource | None = None,
) -> EventInputs:
    """Lock the event and its hosts, then load inputs that later bookings cannot change."""
    lock_keys(session, [event.id, *(h.id for h in event_hosts(session, event))])
    return load_inputs(
        session,
        event,
        start,
        start + timedelta(minutes=event.duration_minutes),
        exclude_booking=exclude,
        calendars=calendars,
    )


def _replay(
    session: Session, key: str, event: Event, request: BookingRequest
) -> BookingResult | None:
    """The booking an earlier identical request made, if any."""
    booking = session.scalars(select(Booking).where(Booking.idempotency_key == key)).first()
    if booking is None:
        return None
    email = session.scalars(
        select(Attendee.email).where(Attendee.booking_id == booking.id, ~Attendee.is_guest)
    ).first()
    same = (
        booking.event_id == event.id
        and booking.starts_at == request.start.astimezone(UTC)
        and (email or "").lower() == request.email.strip().lower()
    )
    if not same:
        raise errors.InvalidBooking(
            {"idempotency_key": "This key was already used for a different booking."}
        )
    hosts = tuple(
        session.scalars(select(BookingHost.admin_id).where(BookingHost.booking_id == booking.id))
    )
    return BookingResult(booking, hosts, manage_token(secret_key(), booking.id), replayed=True)


def _check(inputs: EventInputs, start: datetime, now: datetime, guests: int) -> av.Slot:
    """The engine's verdict on `start`, as booking errors."""
    if not inputs.hosts:
        raise errors.SlotUnavailable("This event has no host available.", reason="no_host")
    try:
        return av.check_slot(
            inputs.spec, inputs.hosts, now=now, start=start, sessions=inputs.sessions, guests=guests
        )
    except av.SlotUnavailable as exc:
        reason = getattr(exc, "reason", None) or "unavailable"
        if reason in TAKEN_REASONS:
            raise errors.SlotTaken() from None
        raise errors.SlotUnavailable(
            REASON_MESSAGES.get(reason, "That time is not available."), reason=reason
        ) from None
    except av.AvailabilityError as exc:
        raise errors.InvalidBooking({"start": str(exc)}) from None


def chosen_hosts(
    event: Event, slot: av.Slot, prefer: Sequence[uuid.UUID] = ()
) -> tuple[uuid.UUID, ...]:
    """Who takes the booking: everyone for collective, panel and group; otherwise a preferred
    host (the same one, on a reschedule) when free, else the first free host."""
    ids: Sequence[uuid.UUID] = slot.host_ids  # type: ignore[assignment]
    if event.meeting_type in (MeetingType.COLLECTIVE, MeetingType.PANEL, MeetingType.GROUP):
        return tuple(ids)
    return (next((h for h in prefer if h in ids), ids[0]),)


def _insert(
    session: Session,
    org_id: uuid.UUID,
    inputs: EventInputs,
    slot: av.Slot,
    request: BookingRequest,
    key: str,
    answers: dict[str, object],
    *,
    ical_uid: str | None = None,
    sequence: int = 0,
    rescheduled_from: uuid.UUID | None = None,
    prefer_hosts: Sequence[uuid.UUID] = (),
) -> Booking:
    """Write the booking with its hosts (see `chosen_hosts`), attendees, answers and time."""
    event, hosts = inputs.event, chosen_hosts(inputs.event, slot, prefer_hosts)
    booking_id = uuid.uuid4()
    first = next(h for h in inputs.hosts if h.host_id == hosts[0])
    start_b, end_b = av.occupied_range(inputs.spec, first, slot.start, slot.end)
    booking = Booking(
        org_id=org_id,
        id=booking_id,
        event_id=event.id,
        slot_id=slot.session_id if event.meeting_type is MeetingType.GROUP else None,
        status=BookingStatus.PENDING_APPROVAL
        if event.require_approval
        else BookingStatus.CONFIRMED,
        starts_at=slot.start,
        ends_at=slot.end,
        buffer_before=int((slot.start - start_b).total_seconds() // 60),
        buffer_after=int((end_b - slot.end).total_seconds() // 60),
        attendee_timezone=request.timezone,
        manage_token_hash=token_hash(manage_token(secret_key(), booking_id)),
        idempotency_key=key,
        rescheduled_from_id=rescheduled_from,
        ical_uid=ical_uid or f"{booking_id}@liveschool",
        ics_sequence=sequence,
        seats=1 + len(request.guests),
        source=request.source,
        referrer=request.referrer,
        utm_source=request.utm.get("source"),
        utm_medium=request.utm.get("medium"),
        utm_campaign=request.utm.get("campaign"),
    )
    session.add(booking)
    session.flush()
    session.add_all([BookingHost(org_id=org_id, booking_id=booking_id, admin_id=h) for h in hosts])
    session.add_all(_attendees(org_id, booking_id, request))
    session.add_all(
        Answer(org_id=org_id, booking_id=booking_id, question_id=uuid.UUID(q), value=v)
        for q, v in answers.items()
    )
    _occupy(session, org_id, inputs, booking, hosts)
    return booking


def _attendees(org_id: uuid.UUID, booking_id: uuid.UUID, request: BookingRequest) -> list[Attendee]:
    main = Attendee(
        org_id=org_id,
        booking_id=booking_id,
        name=request.name.strip(),
        email=request.email.strip().lower(),
        phone=request.phone,
        timezone=request.timezone,
    )
    guests = [
        Attendee(
            org_id=org_id,
            booking_id=booking_id,
            email=g.strip().lower(),
            is_guest=True,
            timezone=request.timezone,
        )
        for g in request.guests
    ]
    return [main, *guests]


def _occupy(
    session: Session,
    org_id: uuid.UUID,
    inputs: EventInputs,
    booking: Booking,
    hosts: Sequence[uuid.UUID],
) -> None:
    """Claim the hosts' time; the exclusion constraint turns a lost race into SlotTaken."""
    by_id = {h.host_id: h for h in inputs.hosts}
    try:
        with session.begin_nested():
            if booking.slot_id is not None:
                _occupy_session(session, org_id, inputs, booking, hosts)
            else:
                for host in hosts:
                    lo, hi = av.occupied_range(
                        inputs.spec, by_id[host], booking.starts_at, booking.ends_at
                    )
                    session.add(
                        HostOccupancy(
                            org_id=org_id,
                            admin_id=host,
                            booking_id=booking.id,
                            during=Range(lo, hi),
                        )
                    )
                session.flush()
    except IntegrityError as exc:
        if isinstance(exc.orig, ExclusionViolation | UniqueViolation):
            raise errors.SlotTaken() from None
        raise


def _occupy_session(
    session: Session,
    org_id: uuid.UUID,
    inputs: EventInputs,
    booking: Booking,
    hosts: Sequence[uuid.UUID],
) -> None:
    """Lock the session, refuse overselling, and occupy its host once it has a booking."""
    group = session.scalars(
        select(GroupSession).where(GroupSession.id == booking.slot_id).with_for_update()
    ).one()
    taken = session.scalar(
        text(
            "SELECT coalesce(sum(seats), 0) FROM oh_bookings WHERE org_id = oh_current_org() "
            "AND slot_id = :slot AND status IN ('confirmed', 'pending_approval')"
        ),
        {"slot": group.id},
    )
    if int(taken or 0) > group.capacity:
        raise errors.SlotTaken()
    by_id = {h.host_id: h for h in inputs.hosts}
    for host in hosts:
        lo, hi = av.occupied_range(inputs.spec, by_id[host], group.starts_at, group.ends_at)
        session.execute(
            pg_insert(HostOccupancy)
            .values(
                org_id=org_id,
                id=uuid.uuid4(),
                admin_id=host,
                slot_id=group.id,
                during=Range(lo, hi),
            )
            .on_conflict_do_nothing(index_elements=["org_id", "slot_id", "admin_id"])
        )


def list_slots(
    session: Session,
    event: Event,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    calendars: BusyTimeSource | None = None,
    exclude_booking: uuid.UUID | None = None,
) -> list[av.Slot]:
    """Bookable slots of `event` between `start` and `end` (aware datetimes); the time held
    by `exclude_booking` counts as free (offering new times for that booking)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise errors.InvalidBooking({"start": "Times need a UTC offset or zone."})
    if end <= start:
        raise errors.InvalidBooking({"end": "The end of the range is before its start."})
    inputs = load_inputs(
        session, event, start, end, exclude_booking=exclude_booking, calendars=calendars
    )
    if not inputs.hosts:
        return []
    return av.compute_slots(
        inputs.spec, inputs.hosts, now=now, start=start, end=end, sessions=inputs.sessions
    )
