"""Create bookings: one transaction that re-checks the slot under locks, then writes.

Per-host advisory locks serialise bookings that touch the same hosts, so limits and
availability are re-checked on committed data; the exclusion constraint on
`oh_host_occupancy` and the session row lock are the database's own guarantee against
double booking and overselling, whatever the Python does.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import psycopg
from psycopg.errors import ExclusionViolation
from sqlalchemy import Table, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import manager_of_class

from scheduling import availability as av
from scheduling.access import Actor, audit_row, snapshot
from scheduling.booking import errors
from scheduling.booking.inputs import (
    CHECK_MARGIN,
    MARGIN,
    OCCUPIED_READ,
    BusyTimeSource,
    EventInputs,
    EventRules,
    load_inputs,
    load_rules,
    occupied_params,
)
from scheduling.booking.setup import EventSetup, load_setup
from scheduling.booking.tokens import manage_token, token_hash
from scheduling.booking.validation import BookingRequest, validate_request
from scheduling.config import Config, get_config
from scheduling.db.tenant import (
    TableRows,
    begun_rows,
    commit_transaction,
    driver_connection,
    psycopg_params,
    restart_transaction,
    rows_insert,
)
from scheduling.events import BookingCreated, booking_event, outbox_row
from scheduling.models import (
    Admin,
    Attendee,
    AuditLog,
    Booking,
    BookingHost,
    BookingStatus,
    Event,
    MeetingType,
    OutboxMessage,
)
from scheduling.models.base import new_id

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
    host_names: tuple[str, ...] = ()


def secret_key() -> str:
    """The key self-service tokens are derived from."""
    return _resolved_key(get_config())


@cache
def _resolved_key(config: Config) -> str:
    return config.resolved_secret_key()  # may read VAR_DIR/secret_key: once per process


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
    event: Event | EventSetup,
    request: BookingRequest,
    *,
    now: datetime,
    actor: Actor | str = "attendee",
    calendars: BusyTimeSource | None = None,
    also_write: Callable[[Booking], Sequence[TableRows]] | None = None,
    commit: bool = False,
    prefetched_for: EventSetup | None = None,
) -> BookingResult:
    """Book `request.start` on `event`, or raise a BookingError saying why not.

    Booking is public: any actor may book; staff booking on someone's behalf are audited
    under their own name. After SlotTaken the transaction is spent: roll it back.
    `also_write(booking)` gives the caller's own rows about a new booking (a face's tracking
    step), written by the booking's statement. Pass the event's setup
    when it is at hand (`setup.SETUPS`), else it is read. `commit`: the booking commits in
    its last round trip, for a caller whose unit of work ends with it (its own commit then
    finds nothing to do); the session must not be used for anything else afterwards.
    `prefetched_for`: the setup the session's begin reads were made from with this request's
    start (`recheck_reads`); they are used when it is still the event's setup.
    """
    setup = event if isinstance(event, EventSetup) else load_setup(session, event)
    event = setup.event
    answers = validate_request(request, event, setup.questions)
    key = request.idempotency_key or derived_idempotency_key(event.id, request.start, request.email)
    try:
        occupied = begun_rows(session, OCCUPIED) if prefetched_for is setup else None
        inputs = checked_inputs(
            session, event, request.start, calendars=calendars, rules=setup.rules, occupied=occupied
        )
        slot = _check(inputs, request.start, now, guests=len(request.guests))
        if event.meeting_type is MeetingType.GROUP:
            claim_seats(session, slot, 1 + len(request.guests))
    except (errors.SlotTaken, errors.SlotUnavailable):
        # A retry of a booking that was made finds its own time taken: answer as before.
        if (replayed := _replay(session, key, event, request)) is not None:
            return replayed
        raise
    return _write_new(
        session,
        org_id,
        inputs,
        slot,
        request,
        key,
        answers,
        actor=actor,
        now=now,
        also_write=also_write,
        commit=commit,
    )


def checked_inputs(
    session: Session,
    event: Event,
    start: datetime,
    *,
    exclude: uuid.UUID | None = None,
    calendars: BusyTimeSource | None = None,
    rules: EventRules | None = None,
    occupied: Sequence[tuple[Any, ...]] | None = None,
) -> EventInputs:
    """Inputs to re-check `start` on, read from committed data (the hosts and schedules
    too, unless `rules` brings them; the booked time too, unless `occupied` brings the rows
    of `recheck_reads`, which apply only without limits).

    Overlap needs no lock: the exclusion constraint on `oh_host_occupancy` refuses a second
    claim on the same time. Only daily and weekly limits count other bookings, so only then
    are advisory locks taken, on the event and its hosts (sorted, so no deadlocks), before
    the bookings are read; they are held until the transaction ends.
    """
    rules = rules or load_rules(session, event)
    limited = rules.has_limits(event)
    if limited:
        lock_keys(session, [event.id, *(h.id for h in rules.hosts)])
    return load_inputs(
        session,
        event,
        start,
        start + timedelta(minutes=event.duration_minutes),
        exclude_booking=exclude,
        calendars=calendars,
        rules=rules,
        **_recheck_window(event, rules, start, limited),
        occupied=None if limited else occupied,
    )


def _recheck_window(
    event: Event, rules: EventRules, start: datetime, limited: bool
) -> dict[str, Any]:
    """How much committed time re-checking `start` reads (`load_inputs`' margins): with
    limits, the weeks they count; without, the free run the start lies in (`CHECK_MARGIN`)."""
    if limited:
        return {"margin": MARGIN, "margin_after": MARGIN, "check_at": None}
    return {"margin": CHECK_MARGIN, "margin_after": rules.reach_after(event), "check_at": start}


OCCUPIED = "occupied"


def recheck_reads(setup: EventSetup, start: datetime) -> dict[str, tuple[str, object]]:
    """The read of booked time that re-checking `start` makes, as a begin read (see
    `db.tenant.tenant_session`), so it travels with the transaction's BEGIN; none when the
    event or a host has limits (those reads wait for locks) or the event is a group's."""
    event, rules = setup.event, setup.rules
    if rules.has_limits(event) or event.meeting_type is MeetingType.GROUP:
        return {}
    window = _recheck_window(event, rules, start, limited=False)
    end = start + timedelta(minutes=event.duration_minutes)
    params = occupied_params(
        [h.id for h in rules.hosts],
        start,
        end,
        window["margin"],
        window["margin_after"],
        check_at=window["check_at"],
    )
    return {OCCUPIED: (OCCUPIED_READ, params)}


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
    rows = session.execute(
        select(BookingHost.admin_id, Admin.name)
        .join(Admin, (Admin.org_id == BookingHost.org_id) & (Admin.id == BookingHost.admin_id))
        .where(BookingHost.booking_id == booking.id)
        .order_by(Admin.name)
    ).all()
    return BookingResult(
        booking,
        tuple(r.admin_id for r in rows),
        manage_token(secret_key(), booking.id),
        replayed=True,
        host_names=tuple(r.name for r in rows),
    )


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


_BOOKING_SQL = """
    WITH b AS (
        INSERT INTO oh_bookings (
            org_id, id, event_id, slot_id, status, starts_at, ends_at, buffer_before,
            buffer_after, attendee_timezone, manage_token_hash, idempotency_key,
            rescheduled_from_id, ical_uid, ics_sequence, seats, source, referrer,
            utm_source, utm_medium, utm_campaign)
        VALUES (
            oh_current_org(), :id, :event_id, :slot_id, CAST(:status AS booking_status),
            :starts_at, :ends_at, :buffer_before, :buffer_after, :attendee_timezone,
            :manage_token_hash, :idempotency_key, :rescheduled_from_id, :ical_uid,
            :ics_sequence, :seats, :source, :referrer, :utm_source, :utm_medium,
            :utm_campaign)
        {on_conflict}
        RETURNING *
    ), booking_hosts AS (
        INSERT INTO oh_booking_hosts (org_id, booking_id, admin_id)
        SELECT b.org_id, b.id, h.admin_id
        FROM b, unnest(CAST(:hosts AS uuid[])) AS h(admin_id)
    ), attendees AS (
        INSERT INTO oh_attendees (org_id, id, booking_id, name, email, phone, timezone, is_guest)
        SELECT b.org_id, gen_random_uuid(), b.id, p.name, p.email, p.phone, p.timezone,
               p.is_guest
        FROM b, jsonb_to_recordset(CAST(:people AS jsonb))
             AS p(name text, email text, phone text, timezone text, is_guest boolean)
    ), answers AS (
        INSERT INTO oh_answers (org_id, id, booking_id, question_id, value)
        SELECT b.org_id, gen_random_uuid(), b.id, CAST(a.key AS uuid), a.value
        FROM b, jsonb_each(CAST(:answers AS jsonb)) AS a
    ), occupancy AS (
        INSERT INTO oh_host_occupancy (org_id, id, admin_id, booking_id, slot_id, during)
        SELECT b.org_id, gen_random_uuid(), o.admin_id,
               CASE WHEN b.slot_id IS NULL THEN b.id END, b.slot_id, tstzrange(o.lo, o.hi)
        FROM b, jsonb_to_recordset(CAST(:occupied AS jsonb))
             AS o(admin_id uuid, lo timestamptz, hi timestamptz)
        ON CONFLICT (org_id, slot_id, admin_id) DO NOTHING
    ){more}
"""
# A rescheduled booking: nothing is written when its key (event, time, attendee) is taken.
INSERT_BOOKING = text(
    _BOOKING_SQL.format(
        on_conflict="ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL "
        "DO NOTHING",
        more=" SELECT * FROM b",
    )
)


@cache
def new_booking_sql(shapes: tuple[tuple[Table, tuple[str, ...]], ...]) -> str:
    """A new booking's statement (psycopg's parameter style): the booking with its hosts,
    attendees, answers and time, and the rows of each shape of `TableRows` (parameters
    `rows_0`, `rows_1`, ...). A taken key fails it (see `_write_new`). One statement,
    whatever it writes: Postgres and psycopg spend more per statement than per row on such
    small writes. Its messages are queued later, from its outbox event (`scheduling.outbox`)."""
    query = psycopg_params(_BOOKING_SQL.format(on_conflict="", more=""))
    for n, (table, keys) in enumerate(shapes):
        query += f", rows_{n} AS ({rows_insert(table, keys, f'rows_{n}')})"
    return query + " SELECT b.id FROM b"  # noqa: S608 (fragments of this module)


def _insert(
    session: Session,
    org_id: uuid.UUID,
    inputs: EventInputs,
    slot: av.Slot,
    request: BookingRequest,
    key: str,
    answers: dict[str, object],
    *,
    status: BookingStatus | None = None,
    ical_uid: str | None = None,
    sequence: int = 0,
    rescheduled_from: uuid.UUID | None = None,
    prefer_hosts: Sequence[uuid.UUID] = (),
) -> tuple[Booking, tuple[uuid.UUID, ...]] | None:
    """Write the booking with its hosts, attendees, answers and time in one statement;
    None when a booking with the same idempotency key was committed first.

    A round-robin booking tries each free host in turn (see `host_choices`): the hosts'
    time was read without locks, so a concurrent booking may have taken the first one.
    """
    event = inputs.event
    choices = host_choices(event, slot, prefer_hosts)
    values, _ = _booking_values(
        org_id,
        event,
        slot,
        request,
        key,
        answers,
        status=status,
        ical_uid=ical_uid,
        sequence=sequence,
        rescheduled_from=rescheduled_from,
    )
    for n, hosts in enumerate(choices):
        values |= _host_values(inputs, slot, hosts)
        stmt = select(Booking).from_statement(INSERT_BOOKING)
        try:
            if n == len(choices) - 1:
                booking = session.scalars(stmt, values).one_or_none()
            else:  # a savepoint, so the next host can be tried after a lost race
                with session.begin_nested():
                    booking = session.scalars(stmt, values).one_or_none()
        except IntegrityError as exc:
            if isinstance(exc.orig, ExclusionViolation) and n < len(choices) - 1:
                continue
            if isinstance(exc.orig, ExclusionViolation):
                raise errors.SlotTaken() from None
            raise
        return None if booking is None else (booking, hosts)
    raise errors.SlotTaken()


# The new booking's writes are one pipeline: one statement (`new_booking_sql`) with the
# booking, its outbox event, audit entry and the caller's rows, and the commit when asked.
# A lost race (another booking took the host's time) or a retried request (its key committed
# first) fails the statement, and the commit is skipped. Inside a caller's transaction, a
# savepoint goes first, and rolling back to it leaves the transaction as it was before the
# attempt. When the booking ends the unit of work (it commits, in explicit-transaction
# mode), nothing else is at stake: the pipeline carries no savepoint (under load, each
# statement costs the Python process dearly), and a failed attempt that is followed by
# another begins a new transaction (`db.tenant.restart_transaction`).
SAVEPOINT = "SAVEPOINT new_booking"
ROLLBACK_TO_SAVEPOINT = "ROLLBACK TO SAVEPOINT new_booking"
IDEMPOTENCY_INDEX = "uq_oh_bookings_idempotency"


def _write_new(
    session: Session,
    org_id: uuid.UUID,
    inputs: EventInputs,
    slot: av.Slot,
    request: BookingRequest,
    key: str,
    answers: dict[str, object],
    *,
    actor: Actor | str,
    now: datetime,
    also_write: Callable[[Booking], Sequence[TableRows]] | None,
    commit: bool,
) -> BookingResult:
    """Write a new booking and everything that goes with it in one round trip per host set
    tried (see `host_choices`); the earlier request's booking when the key was used."""
    event = inputs.event
    values, token = _booking_values(org_id, event, slot, request, key, answers, status=None)
    raw = driver_connection(session)
    savepoint = not (commit and raw.autocommit)  # see above
    choices = host_choices(event, slot)
    for n, hosts in enumerate(choices):
        values |= _host_values(inputs, slot, hosts)
        booking = _new_booking(values)
        rows = _announce(booking, actor, now)
        rows += also_write(booking) if also_write is not None else ()
        rows = [r for r in rows if r.rows]
        shapes = tuple(r.shape for r in rows)
        params = values | {f"rows_{k}": r.document() for k, r in enumerate(rows)}
        try:
            with raw.pipeline():
                if savepoint:
                    raw.execute(SAVEPOINT)
                raw.execute(new_booking_sql(shapes), params)
                if commit:
                    commit_transaction(raw)
        except psycopg.errors.ExclusionViolation:
            if n < len(choices) - 1:
                _undo(session, savepoint)
                continue
            if savepoint:  # else the transaction is spent, as the docstring says
                raw.execute(ROLLBACK_TO_SAVEPOINT)
            raise errors.SlotTaken() from None
        except psycopg.errors.UniqueViolation as exc:
            if exc.diag.constraint_name != IDEMPOTENCY_INDEX:
                raise
            _undo(session, savepoint)  # an identical request committed first
            replayed = _replay(session, key, event, request)
            assert replayed is not None
            return replayed
        names = tuple(sorted(inputs.host_rows[h].name for h in hosts))
        return BookingResult(booking, hosts, token, host_names=names)
    raise errors.SlotTaken()


def _undo(session: Session, savepoint: bool) -> None:
    """Undo a failed attempt at a new booking: to its savepoint, or (with none) by beginning
    a new transaction in the organisation."""
    if savepoint:
        driver_connection(session).execute(ROLLBACK_TO_SAVEPOINT)
    else:
        restart_transaction(session)


def _announce(booking: Booking, actor: Actor | str, now: datetime) -> list[TableRows]:
    """What a new booking tells others: its outbox event, from which the worker queues its
    messages (confirmation or approval request, reminders: `scheduling.outbox`), and its
    audit entry."""
    who = actor if isinstance(actor, Actor) else Actor.attendee(booking.org_id, actor, booking.id)
    created = booking_event(BookingCreated, booking, actor=who.label, now=now)
    entry = audit_row(
        who,
        "booking.created",
        "booking",
        booking.id,
        after=snapshot(booking, ("status", "starts_at", "ends_at", "event_id")),
    )
    return [TableRows(OutboxMessage, [outbox_row(created)]), TableRows(AuditLog, [entry])]


BOOKING_KEYS = (
    "org_id",
    "id",
    "event_id",
    "slot_id",
    "starts_at",
    "ends_at",
    "buffer_before",
    "buffer_after",
    "attendee_timezone",
    "manage_token_hash",
    "idempotency_key",
    "rescheduled_from_id",
    "ical_uid",
    "ics_sequence",
    "seats",
    "source",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
)


def _new_booking(values: dict[str, object]) -> Booking:
    """The booking `new_booking_sql` writes from `values`, as an object of no session, to be
    read only. Its attributes are set as loading sets them, with no change history: through
    the constructor's attribute events, the object cost more than the rest of the booking's
    values (23 against 1.4 microseconds)."""
    booking: Booking = manager_of_class(Booking).new_instance()
    booking.__dict__.update({k: values[k] for k in BOOKING_KEYS})
    booking.__dict__["status"] = BookingStatus(str(values["status"]))
    return booking


def _booking_values(
    org_id: uuid.UUID,
    event: Event,
    slot: av.Slot,
    request: BookingRequest,
    key: str,
    answers: dict[str, object],
    *,
    status: BookingStatus | None,
    ical_uid: str | None = None,
    sequence: int = 0,
    rescheduled_from: uuid.UUID | None = None,
) -> tuple[dict[str, object], str]:
    """The parameters of INSERT_BOOKING and `new_booking_sql` but the hosts' (`_host_values`),
    for a new booking id, and that booking's self-service token."""
    booking_id = new_id()
    token = manage_token(secret_key(), booking_id)
    values: dict[str, object] = {
        "org_id": org_id,
        "id": booking_id,
        "event_id": event.id,
        "slot_id": slot.session_id if event.meeting_type is MeetingType.GROUP else None,
        "status": (status or _initial_status(event)).value,
        "starts_at": slot.start,
        "ends_at": slot.end,
        "attendee_timezone": request.timezone,
        "manage_token_hash": token_hash(token),
        "idempotency_key": key,
        "rescheduled_from_id": rescheduled_from,
        "ical_uid": ical_uid or f"{booking_id}@liveschool",
        "ics_sequence": sequence,
        "seats": 1 + len(request.guests),
        "source": request.source,
        "referrer": request.referrer,
        "utm_source": request.utm.get("source"),
        "utm_medium": request.utm.get("medium"),
        "utm_campaign": request.utm.get("campaign"),
        "people": json.dumps(_people(request)),
        "answers": json.dumps(answers),
    }
    return values, token


def _host_values(
    inputs: EventInputs, slot: av.Slot, hosts: Sequence[uuid.UUID]
) -> dict[str, object]:
    """The hosts' parameters of INSERT_BOOKING and `new_booking_sql`: who, and the buffered time."""
    start_b, end_b = av.occupied_range(inputs.spec, inputs.host(hosts[0]), slot.start, slot.end)
    return {
        "hosts": list(hosts),
        "buffer_before": int((slot.start - start_b).total_seconds() // 60),
        "buffer_after": int((end_b - slot.end).total_seconds() // 60),
        "occupied": json.dumps(_occupied(inputs, slot, hosts)),
    }


def _initial_status(event: Event) -> BookingStatus:
    return BookingStatus.PENDING_APPROVAL if event.require_approval else BookingStatus.CONFIRMED


def host_choices(
    event: Event, slot: av.Slot, prefer: Sequence[uuid.UUID] = ()
) -> list[tuple[uuid.UUID, ...]]:
    """The host sets a booking may take, best first: one set with everyone for collective,
    panel and group; each free host for one-on-one and round robin (preferred ones first)."""
    first = chosen_hosts(event, slot, prefer)
    if event.meeting_type in (MeetingType.COLLECTIVE, MeetingType.PANEL, MeetingType.GROUP):
        return [first]
    ids: Sequence[uuid.UUID] = slot.host_ids  # type: ignore[assignment]
    return [first, *((h,) for h in ids if h != first[0])]


def _people(request: BookingRequest) -> list[dict[str, object]]:
    """The attendee and guests as rows for `INSERT_BOOKING`."""
    main: dict[str, object] = {
        "name": request.name.strip(),
        "email": request.email.strip().lower(),
        "phone": request.phone,
        "timezone": request.timezone,
        "is_guest": False,
    }
    guests: list[dict[str, object]] = [
        {
            "name": None,
            "email": g.strip().lower(),
            "phone": None,
            "timezone": request.timezone,
            "is_guest": True,
        }
        for g in request.guests
    ]
    return [main, *guests]


def _occupied(
    inputs: EventInputs, slot: av.Slot, hosts: Sequence[uuid.UUID]
) -> list[dict[str, str]]:
    """Each host's buffered range, the time the exclusion constraint guards."""
    rows = []
    for host in hosts:
        lo, hi = av.occupied_range(inputs.spec, inputs.host(host), slot.start, slot.end)
        rows.append({"admin_id": str(host), "lo": lo.isoformat(), "hi": hi.isoformat()})
    return rows


def claim_seats(session: Session, slot: av.Slot, seats: int) -> None:
    """Lock the group session's row and refuse overselling; the lock is held to commit, so
    bookings of one session count their seats one at a time."""
    capacity = session.scalar(
        text(
            "SELECT capacity FROM oh_slots WHERE org_id = oh_current_org() AND id = :slot "
            "FOR UPDATE"
        ),
        {"slot": slot.session_id},
    )
    taken = session.scalar(  # a statement of its own: it must see what committed before the lock
        text(
            "SELECT coalesce(sum(seats), 0) FROM oh_bookings WHERE org_id = oh_current_org() "
            "AND slot_id = :slot AND status IN ('confirmed', 'pending_approval')"
        ),
        {"slot": slot.session_id},
    )
    if capacity is None or int(taken or 0) + seats > capacity:
        raise errors.SlotTaken()


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
