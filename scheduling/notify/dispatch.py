"""Queue the messages a booking change causes: one job per reader, reminders at set times.

Called inside the transaction that changed the booking, so messages exist only if the
change commits (a new booking's, by the outbox relay from its committed `booking.created`
event: `queue_new_booking_messages`); the worker renders and sends them, with retries.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from scheduling.jobs import Deferral, defer_many
from scheduling.models import Admin, Attendee, Booking, BookingHost, BookingStatus, TemplateKind

SEND_TASK = "notify.send"
REMINDER_TASK = "notify.reminder"
# (how long before the start, how the message words it)
REMINDERS: tuple[tuple[timedelta, str], ...] = (
    (timedelta(hours=24), "in 24 hours"),
    (timedelta(hours=1), "in 1 hour"),
)


def readers(session: Session, booking: Booking, *, hosts: bool = True) -> list[tuple[str, bool]]:
    """(email, is_host) of everyone a message about `booking` goes to: the attendee, the
    guests, then the hosts, each by email."""
    return readers_of(session, [booking.id], hosts=hosts)[booking.id]


def queue_messages(
    session: Session,
    booking: Booking,
    kind: TemplateKind,
    *,
    hosts: bool = True,
    starts_in: str = "",
) -> int:
    """Queue `kind` for every reader of `booking`; return how many."""
    jobs = message_jobs(booking, kind, readers(session, booking, hosts=hosts), starts_in)
    return len(defer_many(session, jobs))


def message_jobs(
    booking: Booking, kind: TemplateKind, recipients: list[tuple[str, bool]], starts_in: str = ""
) -> list[Deferral]:
    """One `notify.send` job per (email, is_host) reader."""
    return [
        Deferral(
            SEND_TASK,
            None,
            {
                "org_id": str(booking.org_id),
                "booking_id": str(booking.id),
                "kind": kind.value,
                "email": email,
                "is_host": is_host,
                "starts_in": starts_in,
            },
        )
        for email, is_host in recipients
    ]


def queue_new_booking_messages(
    session: Session, events: Sequence[dict[str, Any]], now: datetime
) -> int:
    """The messages of new bookings, relayed from their `booking.created` events (payloads,
    see `scheduling.outbox`): a confirmation to every reader and the reminders still ahead,
    or the approval request while one awaits approval; return how many jobs. Three queries
    and one insert, however many bookings. Nothing for a booking cancelled, declined, moved
    or approved since: those changes send their own messages."""
    wanted = {uuid.UUID(e["booking_id"]): e for e in events}
    bookings = session.scalars(select(Booking).where(Booking.id.in_(wanted))).all()
    live = [
        b
        for b in bookings
        if b.starts_at == datetime.fromisoformat(wanted[b.id]["starts_at"])
        and b.status.value == wanted[b.id].get("status")
        and b.status in (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)
    ]
    people = readers_of(session, [b.id for b in live])
    jobs: list[Deferral] = []
    order = {booking_id: n for n, booking_id in enumerate(wanted)}  # the events' order
    for booking in sorted(live, key=lambda b: order[b.id]):
        if booking.status is BookingStatus.PENDING_APPROVAL:
            kind = TemplateKind.APPROVAL_REQUESTED
            jobs += message_jobs(booking, kind, people[booking.id])
        else:
            jobs += message_jobs(booking, TemplateKind.CONFIRMATION, people[booking.id])
            jobs += reminder_jobs(booking, now)
    return len(defer_many(session, jobs))


def readers_of(
    session: Session, booking_ids: Sequence[uuid.UUID], *, hosts: bool = True
) -> dict[uuid.UUID, list[tuple[str, bool]]]:
    """`readers()` of several bookings, in two queries (one without the hosts): booking id
    -> (email, is_host)."""
    found: dict[uuid.UUID, list[tuple[str, bool]]] = {b: [] for b in booking_ids}
    if not booking_ids:
        return found
    attendees = session.execute(
        select(Attendee.booking_id, Attendee.email)
        .where(Attendee.booking_id.in_(booking_ids))
        .order_by(Attendee.booking_id, Attendee.is_guest, Attendee.email)
    )
    for booking_id, email in attendees:
        found[booking_id].append((email, False))
    if not hosts:
        return found
    host_rows = session.execute(
        select(BookingHost.booking_id, Admin.email)
        .join(Admin, (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id))
        .where(BookingHost.booking_id.in_(booking_ids))
        .order_by(BookingHost.booking_id, Admin.email)
    )
    for booking_id, email in host_rows:
        found[booking_id].append((email, True))
    return found


def queue_message(
    session: Session,
    booking: Booking,
    kind: TemplateKind,
    email: str,
    *,
    is_host: bool,
    starts_in: str = "",
) -> None:
    """Queue `kind` for one reader (e.g. a host who no longer hosts the booking)."""
    defer_many(session, message_jobs(booking, kind, [(email, is_host)], starts_in))


def queue_reminders(session: Session, booking: Booking, now: datetime) -> list[datetime]:
    """Schedule the reminders that still lie in the future; return their times."""
    jobs = reminder_jobs(booking, now)
    defer_many(session, jobs)
    return [j.run_at for j in jobs if j.run_at is not None]


def reminder_jobs(booking: Booking, now: datetime) -> list[Deferral]:
    """The `notify.reminder` jobs of `booking` that still lie in the future."""
    return [
        Deferral(
            REMINDER_TASK,
            booking.starts_at - before,
            {
                "org_id": str(booking.org_id),
                "booking_id": str(booking.id),
                "starts_at": booking.starts_at.isoformat(),
                "label": label,
            },
        )
        for before, label in REMINDERS
        if booking.starts_at - before > now
    ]


# Found through the index on the queued jobs' booking (migration 0014); its condition,
# status = 'todo', stays literal so that generic plans can use the index too.
REMINDERS_INDEX = "oh_procrastinate_jobs_todo_booking_idx"
CANCEL_REMINDERS_SQL = text(
    "SELECT procrastinate_cancel_job_v1(id, false, true) FROM procrastinate_jobs "
    "WHERE status = 'todo' AND task_name = :task AND args->>'booking_id' = :booking"
)


def cancel_reminders(session: Session, booking_id: uuid.UUID) -> int:
    """Cancel the booking's reminders that have not run yet; return how many."""
    cancelled = session.execute(
        CANCEL_REMINDERS_SQL, {"task": REMINDER_TASK, "booking": str(booking_id)}
    ).all()
    return len(cancelled)
