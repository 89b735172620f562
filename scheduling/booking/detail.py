"""One booking as staff see it: people, answers, feedback, tags, notes, tasks and history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from scheduling.access import Actor, require
from scheduling.booking import errors
from scheduling.booking.changes import host_ids
from scheduling.booking.queries import latest_in_chain
from scheduling.models import (
    Admin,
    Answer,
    Attendee,
    AuditLog,
    Booking,
    BookingHost,
    BookingTag,
    Event,
    Feedback,
    Note,
    Question,
    Tag,
    Task,
)

CHAIN_LIMIT = 50
HISTORY = {
    "booking.created": "Booked",
    "booking.approved": "Approved",
    "booking.declined": "Declined",
    "booking.cancelled": "Cancelled",
    "booking.rescheduled": "Rescheduled",
    "booking.reassigned": "Reassigned",
    "booking.attendance_marked": "Attendance recorded",
    "booking.token_revoked": "Self-service link revoked",
    "booking.tag_added": "Tag added",
    "booking.tag_removed": "Tag removed",
}


@dataclass(frozen=True, slots=True)
class Contact:
    """The attendee who booked."""

    name: str
    email: str
    phone: str | None
    timezone: str | None


@dataclass(frozen=True, slots=True)
class HostRef:
    """A host of the booking."""

    id: uuid.UUID
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class FeedbackView:
    """What the attendee sent back after the meeting."""

    rating: int
    nps_score: int | None
    comment: str | None
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag on the booking."""

    id: uuid.UUID
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class NoteView:
    """A note with its author's name (empty when the author was removed)."""

    id: uuid.UUID
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TaskView:
    """A follow-up task."""

    id: uuid.UUID
    title: str
    assignee_id: uuid.UUID | None
    assignee: str
    due_at: datetime | None
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audited change of the booking or of an earlier booking it was moved from."""

    at: datetime
    what: str
    by: str
    details: str


@dataclass(frozen=True, slots=True)
class BookingDetail:
    """Everything the console's detail view shows about one booking."""

    id: uuid.UUID
    event_id: uuid.UUID
    event: str
    meeting_type: str
    starts_at: datetime
    ends_at: datetime
    status: str
    attendance: str
    attendee: Contact
    guests: tuple[str, ...]
    hosts: tuple[HostRef, ...]
    answers: tuple[tuple[str, str], ...]
    feedback: FeedbackView | None
    tags: tuple[TagRef, ...]
    notes: tuple[NoteView, ...]
    tasks: tuple[TaskView, ...]
    history: tuple[HistoryEntry, ...]
    cancellation_reason: str | None
    source: str | None
    rescheduled_from_id: uuid.UUID | None
    moved_to_id: uuid.UUID | None


def booking_detail(session: Session, actor: Actor, booking_id: uuid.UUID) -> BookingDetail:
    """The booking with everything attached, if `actor` may read it."""
    booking = session.scalars(select(Booking).where(Booking.id == booking_id)).first()
    if booking is None:
        raise errors.BookingNotFound("We could not find that booking.")
    require(actor, "bookings.read", host_ids(session, booking.id), what="see this booking")
    event = session.scalars(select(Event).where(Event.id == booking.event_id)).one()
    people = session.scalars(
        select(Attendee)
        .where(Attendee.booking_id == booking.id)
        .order_by(Attendee.is_guest, Attendee.email)
    ).all()
    main = people[0]
    moved = latest_in_chain(session, booking)
    return BookingDetail(
        id=booking.id,
        event_id=event.id,
        event=event.title,
        meeting_type=event.meeting_type.value,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        status=booking.status.value,
        attendance=booking.attendance.value,
        attendee=Contact(main.name or main.email, main.email, main.phone, main.timezone),
        guests=tuple(p.email for p in people[1:]),
        hosts=_hosts(session, booking.id),
        answers=_answers(session, booking.id),
        feedback=_feedback(session, booking.id),
        tags=_tags(session, booking.id),
        notes=_notes(session, booking.id),
        tasks=_tasks(session, booking.id),
        history=_history(session, booking),
        cancellation_reason=booking.cancellation_reason,
        source=booking.source,
        rescheduled_from_id=booking.rescheduled_from_id,
        moved_to_id=moved.id if moved else None,
    )


def _hosts(session: Session, booking_id: uuid.UUID) -> tuple[HostRef, ...]:
    rows = session.execute(
        select(Admin.id, Admin.name, Admin.email)
        .join(
            BookingHost, (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id)
        )
        .where(BookingHost.booking_id == booking_id)
        .order_by(Admin.name)
    )
    return tuple(HostRef(*row) for row in rows)


def answer_text(value: Any) -> str:
    """An answer as one line: lists joined with commas, empty answers as an empty string."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _answers(session: Session, booking_id: uuid.UUID) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(Question.label, Answer.value)
        .join(Answer, (Answer.org_id == Question.org_id) & (Answer.question_id == Question.id))
        .where(Answer.booking_id == booking_id)
        .order_by(Question.position, Question.created_at)
    )
    return tuple((label, answer_text(value)) for label, value in rows)


def _feedback(session: Session, booking_id: uuid.UUID) -> FeedbackView | None:
    row = session.scalars(select(Feedback).where(Feedback.booking_id == booking_id)).first()
    if row is None:
        return None
    return FeedbackView(row.rating, row.nps_score, row.comment, row.created_at)


def _tags(session: Session, booking_id: uuid.UUID) -> tuple[TagRef, ...]:
    rows = session.scalars(
        select(Tag)
        .join(BookingTag, (BookingTag.org_id == Tag.org_id) & (BookingTag.tag_id == Tag.id))
        .where(BookingTag.booking_id == booking_id)
        .order_by(Tag.name)
    )
    return tuple(TagRef(t.id, t.name, t.color) for t in rows)


def _notes(session: Session, booking_id: uuid.UUID) -> tuple[NoteView, ...]:
    author = aliased(Admin)
    rows = session.execute(
        select(Note, author.name)
        .outerjoin(author, (author.org_id == Note.org_id) & (author.id == Note.author_id))
        .where(Note.booking_id == booking_id)
        .order_by(Note.created_at, Note.id)
    )
    return tuple(NoteView(n.id, name or "", n.body, n.created_at) for n, name in rows)


def _tasks(session: Session, booking_id: uuid.UUID) -> tuple[TaskView, ...]:
    person = aliased(Admin)
    rows = session.execute(
        select(Task, person.name)
        .outerjoin(person, (person.org_id == Task.org_id) & (person.id == Task.assignee_id))
        .where(Task.booking_id == booking_id)
        .order_by(Task.done_at.is_not(None), Task.due_at.nulls_last(), Task.created_at)
    )
    return tuple(
        TaskView(t.id, t.title, t.assignee_id, name or "", t.due_at, t.done_at) for t, name in rows
    )


def _chain(session: Session, booking: Booking) -> list[uuid.UUID]:
    """This booking and the ones it was rescheduled from, newest first."""
    ids, previous = [booking.id], booking.rescheduled_from_id
    while previous is not None and len(ids) < CHAIN_LIMIT:
        ids.append(previous)
        previous = session.scalar(select(Booking.rescheduled_from_id).where(Booking.id == previous))
    return ids


def _history(session: Session, booking: Booking) -> tuple[HistoryEntry, ...]:
    rows = session.scalars(
        select(AuditLog)
        .where(AuditLog.entity_type == "booking", AuditLog.entity_id.in_(_chain(session, booking)))
        .order_by(AuditLog.created_at, AuditLog.id)
    )
    return tuple(
        HistoryEntry(r.created_at, HISTORY.get(r.action, r.action), r.actor_label, _details(r))
        for r in rows
    )


def _details(row: AuditLog) -> str:
    after, before = row.new_values or {}, row.old_values or {}
    if row.action == "booking.reassigned":
        return f"{', '.join(before.get('hosts', []))} → {', '.join(after.get('hosts', []))}"
    if row.action == "booking.rescheduled":
        return f"{before.get('starts_at', '')} → {after.get('starts_at', '')}"
    if row.action in ("booking.tag_added", "booking.tag_removed"):
        return str(after.get("tag") or before.get("tag") or "")
    if row.action == "booking.attendance_marked":
        return str(after.get("attendance", ""))
    return str(after.get("cancellation_reason") or "")
