"""Queue the messages a booking change causes: one job per reader, reminders at set times.

Called inside the transaction that changed the booking, so messages exist only if the
change commits; the worker renders and sends them after commit, with retries.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from scheduling.jobs import Deferral, defer_many
from scheduling.models import Admin, Attendee, Booking, BookingHost, TemplateKind

SEND_TASK = "notify.send"
REMINDER_TASK = "notify.reminder"
# (how long before the start, how the message words it)
REMINDERS: tuple[tuple[timedelta, str], ...] = (
    (timedelta(hours=24), "in 24 hours"),
    (timedelta(hours=1), "in 1 hour"),
)


def readers(session: Session, booking: Booking, *, hosts: bool = True) -> list[tuple[str, bool]]:
    """(email, is_host) of everyone a message about `booking` goes to."""
    people = [
        (email, False)
        for email in session.scalars(
            select(Attendee.email)
            .where(Attendee.booking_id == booking.id)
            .order_by(Attendee.is_guest, Attendee.email)
        )
    ]
    if hosts:
        people += [
            (email, True)
            for email in session.scalars(
                select(Admin.email)
                .join(
                    BookingHost,
                    (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id),
                )
                .where(BookingHost.booking_id == booking.id)
                .order_by(Admin.email)
            )
        ]
    return people


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
