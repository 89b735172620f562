"""Audit cases for reassigning bookings and for their tags, notes and tasks."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from scheduling.access import Actor
from scheduling.booking import engagement, get_event, reassign
from scheduling.models import EventHost
from tests.access.audit_cases import Cases
from tests.access.audit_cases.access_booking import NOW
from tests.factories import add_host

MODULES = (engagement, reassign)


def _second_host(s: Session, org: uuid.UUID) -> uuid.UUID:
    """Another host of the `call` event, free at the booked time."""
    host = add_host(s, org, "Bo Second", "America/New_York")
    s.add(EventHost(org_id=org, event_id=get_event(s, slug="call").id, admin_id=host.id))
    s.flush()
    return host.id


def _task(s: Session, org: uuid.UUID, ids: dict[str, Any]) -> uuid.UUID:
    return engagement.create_task(
        s,
        Actor.system(org),
        ids["booked"],
        "Send the slides",
        assignee_id=ids["host"],
        due_at=NOW + timedelta(days=1),
    ).id


def _note(s: Session, org: uuid.UUID, ids: dict[str, Any]) -> uuid.UUID:
    return engagement.add_note(s, Actor.system(org), ids["booked"], "Wants to talk pricing").id


CASES: Cases = {
    "reassign_booking": (
        "booking.reassigned",
        lambda s, o, w: reassign.reassign_booking(
            s, w["booked"], _second_host(s, o), now=NOW, actor=Actor.system(o)
        ),
    ),
    "add_tag": (
        "booking.tag_added",
        lambda s, o, w: engagement.add_tag(s, Actor.system(o), w["booked"], "VIP"),
    ),
    "remove_tag": (
        "booking.tag_removed",
        lambda s, o, w: engagement.remove_tag(
            s,
            Actor.system(o),
            w["booked"],
            engagement.add_tag(s, Actor.system(o), w["booked"], "VIP").id,
        ),
    ),
    "add_note": ("note.created", _note),
    "delete_note": (
        "note.deleted",
        lambda s, o, w: engagement.delete_note(s, Actor.system(o), _note(s, o, w)),
    ),
    "create_task": ("task.created", _task),
    "complete_task": (
        "task.completed",
        lambda s, o, w: engagement.complete_task(s, Actor.system(o), _task(s, o, w), now=NOW),
    ),
    "delete_task": (
        "task.deleted",
        lambda s, o, w: engagement.delete_task(s, Actor.system(o), _task(s, o, w)),
    ),
}
