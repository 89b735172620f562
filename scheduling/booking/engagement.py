"""What staff attach to a booking: tags, notes and follow-up tasks.

Each change needs bookings.update over the booking's hosts (the assignee of a task may also
tick it off), is validated before anything is written (InvalidBooking names the field) and
is audited in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit, require, snapshot
from scheduling.booking import errors
from scheduling.booking.changes import host_ids
from scheduling.models import Admin, Booking, BookingTag, Note, Tag, Task

TAG_LENGTH = 100
NOTE_LENGTH = 20_000
TITLE_LENGTH = 500
TASK_FIELDS = ("booking_id", "title", "assignee_id", "due_at", "done_at")


def assignees(session: Session) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the active people a task can be given to."""
    rows = session.execute(select(Admin.id, Admin.name).where(Admin.is_active).order_by(Admin.name))
    return [(i, n) for i, n in rows]


def zone_of(session: Session, admin_id: uuid.UUID | None) -> str:
    """A person's time zone (UTC when unknown): the zone they read and enter due times in."""
    found = session.scalar(select(Admin.timezone).where(Admin.id == admin_id)) if admin_id else None
    return found or "UTC"


def _owners(session: Session, booking_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """The booking's hosts, or BookingNotFound."""
    if session.scalar(select(Booking.id).where(Booking.id == booking_id)) is None:
        raise errors.BookingNotFound("We could not find that booking.")
    return host_ids(session, booking_id)


def add_tag(session: Session, actor: Actor, booking_id: uuid.UUID, name: str) -> Tag:
    """Put a tag on the booking, creating the organisation's tag of that name if new
    (names match whatever their case). Tagging twice changes nothing."""
    require(actor, "bookings.update", _owners(session, booking_id), what="tag this booking")
    clean = " ".join(name.split())
    if not clean:
        raise errors.InvalidBooking({"tag": "Please enter a tag."})
    if len(clean) > TAG_LENGTH:
        raise errors.InvalidBooking({"tag": f"Tags are at most {TAG_LENGTH} characters."})
    tag = _tag_named(session, actor, clean)
    added = session.execute(
        pg_insert(BookingTag)
        .values(org_id=actor.org_id, booking_id=booking_id, tag_id=tag.id)
        .on_conflict_do_nothing()
        .returning(BookingTag.tag_id)
    ).first()
    if added is not None:
        audit(
            session,
            actor,
            "booking.tag_added",
            "booking",
            booking_id,
            after={"tag": tag.name, "tag_id": tag.id},
        )
    return tag


def _tag_named(session: Session, actor: Actor, name: str) -> Tag:
    found = session.scalars(select(Tag).where(func.lower(Tag.name) == name.lower())).first()
    if found is not None:
        return found
    created = session.execute(
        pg_insert(Tag)
        .values(org_id=actor.org_id, id=uuid.uuid4(), name=name)
        .on_conflict_do_nothing(index_elements=["org_id", "name"])
        .returning(Tag.id)
    ).first()
    tag = session.scalars(select(Tag).where(Tag.name == name)).one()
    if created is not None:  # not made a moment ago by a concurrent request
        audit(session, actor, "tag.created", "tag", tag.id, after={"name": tag.name})
    return tag


def remove_tag(session: Session, actor: Actor, booking_id: uuid.UUID, tag_id: uuid.UUID) -> None:
    """Take a tag off the booking (the organisation keeps the tag)."""
    require(actor, "bookings.update", _owners(session, booking_id), what="untag this booking")
    name = session.scalar(
        select(Tag.name)
        .join(BookingTag, (BookingTag.org_id == Tag.org_id) & (BookingTag.tag_id == Tag.id))
        .where(BookingTag.booking_id == booking_id, Tag.id == tag_id)
    )
    if name is None:
        raise errors.InvalidBooking({"tag": "This booking does not have that tag."})
    session.execute(
        delete(BookingTag).where(BookingTag.booking_id == booking_id, BookingTag.tag_id == tag_id)
    )
    audit(
        session,
        actor,
        "booking.tag_removed",
        "booking",
        booking_id,
        before={"tag": name, "tag_id": tag_id},
    )


def add_note(session: Session, actor: Actor, booking_id: uuid.UUID, body: str) -> Note:
    """A private note on the booking, signed by the actor."""
    require(actor, "bookings.update", _owners(session, booking_id), what="add notes here")
    text = body.strip()
    if not text:
        raise errors.InvalidBooking({"note": "Please write something."})
    if len(text) > NOTE_LENGTH:
        raise errors.InvalidBooking({"note": f"Notes are at most {NOTE_LENGTH:,} characters."})
    note = Note(
        org_id=actor.org_id,
        id=uuid.uuid4(),
        booking_id=booking_id,
        author_id=actor.admin_id,
        body=text,
    )
    session.add(note)
    session.flush()
    audit(session, actor, "note.created", "note", note.id, after=_note(note))
    return note


def delete_note(session: Session, actor: Actor, note_id: uuid.UUID) -> None:
    """Remove a note from its booking."""
    note = session.scalars(select(Note).where(Note.id == note_id)).first()
    if note is None:
        raise errors.InvalidBooking({"note": "That note no longer exists."})
    require(actor, "bookings.update", host_ids(session, note.booking_id), what="delete notes here")
    audit(session, actor, "note.deleted", "note", note.id, before=_note(note))
    session.delete(note)
    session.flush()


def _note(note: Note) -> dict[str, object]:
    return snapshot(note, ("booking_id", "author_id", "body"))


def create_task(
    session: Session,
    actor: Actor,
    booking_id: uuid.UUID,
    title: str,
    *,
    assignee_id: uuid.UUID | None = None,
    due_at: datetime | None = None,
) -> Task:
    """A follow-up on the booking, optionally for an active person by a due time."""
    require(actor, "bookings.update", _owners(session, booking_id), what="add tasks here")
    problems: dict[str, str] = {}
    clean = " ".join(title.split())
    if not clean:
        problems["title"] = "Please give the task a title."
    elif len(clean) > TITLE_LENGTH:
        problems["title"] = f"Titles are at most {TITLE_LENGTH} characters."
    if assignee_id is not None and not session.scalar(
        select(Admin.id).where(Admin.id == assignee_id, Admin.is_active)
    ):
        problems["assignee"] = "Choose an active person, or nobody."
    if due_at is not None and due_at.tzinfo is None:
        problems["due_at"] = "The due time needs a time zone."
    if problems:
        raise errors.InvalidBooking(problems)
    task = Task(
        org_id=actor.org_id,
        id=uuid.uuid4(),
        booking_id=booking_id,
        title=clean,
        assignee_id=assignee_id,
        due_at=due_at,
    )
    session.add(task)
    session.flush()
    audit(session, actor, "task.created", "task", task.id, after=snapshot(task, TASK_FIELDS))
    return task


def _task(session: Session, task_id: uuid.UUID) -> Task:
    task = session.scalars(select(Task).where(Task.id == task_id).with_for_update()).first()
    if task is None:
        raise errors.InvalidBooking({"task": "That task no longer exists."})
    return task


def _task_owners(session: Session, task: Task) -> frozenset[uuid.UUID]:
    return host_ids(session, task.booking_id) if task.booking_id else frozenset()


def complete_task(
    session: Session, actor: Actor, task_id: uuid.UUID, *, now: datetime, done: bool = True
) -> Task:
    """Tick a task off (done=False opens it again). Its assignee may, with bookings.update
    at any scope, even on a booking they could not otherwise change."""
    task = _task(session, task_id)
    mine = actor.kind == "staff" and actor.admin_id == task.assignee_id
    owners = None if mine else _task_owners(session, task)
    require(actor, "bookings.update", owners, what="change this task")
    before = snapshot(task, TASK_FIELDS)
    task.done_at = now if done else None
    session.flush()
    action = "task.completed" if done else "task.reopened"
    audit(session, actor, action, "task", task.id, before, snapshot(task, TASK_FIELDS))
    return task


def delete_task(session: Session, actor: Actor, task_id: uuid.UUID) -> None:
    """Remove a task."""
    task = _task(session, task_id)
    require(actor, "bookings.update", _task_owners(session, task), what="delete this task")
    audit(session, actor, "task.deleted", "task", task.id, before=snapshot(task, TASK_FIELDS))
    session.delete(task)
    session.flush()
