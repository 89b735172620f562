"""The catalogue as the console reads it: the event list, one event with everything on it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.access import Actor, require
from scheduling.catalog.content import active_questions, prep_resources
from scheduling.catalog.events import host_ids_of, load_event
from scheduling.models import (
    Admin,
    AvailabilitySchedule,
    Event,
    EventHost,
    PrepResource,
    Question,
)


def booking_path(slug: str) -> str:
    """Where the public booking page of an event lives in the booking app."""
    return f"/book/{slug}"


def public_url(base_url: str, slug: str) -> str:
    """The booking page's full address under PUBLIC_BASE_URL."""
    return base_url.rstrip("/") + booking_path(slug)


@dataclass(frozen=True, slots=True)
class EventRow:
    """One line of the events table."""

    id: uuid.UUID
    title: str
    slug: str
    meeting_type: str
    duration_minutes: int
    hosts: str
    host_ids: frozenset[uuid.UUID]
    is_active: bool


@dataclass(frozen=True, slots=True)
class EventDraft:
    """One event with its hosts (in order), questions and preparation resources."""

    event: Event
    hosts: tuple[Admin, ...]
    questions: tuple[Question, ...]
    prep: tuple[PrepResource, ...]

    @property
    def host_ids(self) -> frozenset[uuid.UUID]:
        """The event's owners, for permission checks."""
        return frozenset(h.id for h in self.hosts)


def list_events(session: Session, actor: Actor) -> list[EventRow]:
    """Every event of the organisation, active ones first, by title (the catalogue is public,
    so every reader sees all of it; changing one is what scope limits)."""
    require(actor, "events.read", what="see events")
    hosts: dict[uuid.UUID, list[Admin]] = defaultdict(list)
    for event_id, admin in session.execute(
        select(EventHost.event_id, Admin)
        .join(Admin, (Admin.org_id == EventHost.org_id) & (Admin.id == EventHost.admin_id))
        .order_by(EventHost.is_primary.desc(), EventHost.display_order, Admin.name)
    ):
        hosts[event_id].append(admin)
    events = session.scalars(select(Event).order_by(Event.is_active.desc(), Event.title))
    return [
        EventRow(
            e.id,
            e.title,
            e.slug,
            e.meeting_type.value,
            e.duration_minutes,
            ", ".join(a.name for a in hosts[e.id]),
            frozenset(a.id for a in hosts[e.id]),
            e.is_active,
        )
        for e in events
    ]


def event_draft(session: Session, actor: Actor, event_id: uuid.UUID) -> EventDraft:
    """The event `event_id` with everything the editor shows."""
    require(actor, "events.read", what="see events")
    event = load_event(session, event_id)
    order = host_ids_of(session, event.id)
    admins = {a.id: a for a in session.scalars(select(Admin).where(Admin.id.in_(order)))}
    return EventDraft(
        event,
        tuple(admins[h] for h in order if h in admins),
        tuple(active_questions(session, event.id)),
        tuple(prep_resources(session, event.id)),
    )


def host_choices(session: Session) -> list[Admin]:
    """People who can host events: active hosts, by name."""
    return list(
        session.scalars(
            select(Admin).where(Admin.is_active, Admin.is_host).order_by(Admin.name, Admin.email)
        )
    )


def schedule_choices(
    session: Session, host_ids: frozenset[uuid.UUID]
) -> list[tuple[uuid.UUID, str]]:
    """(id, "Schedule name — Host") for every schedule of these hosts, to pin on an event."""
    rows = session.execute(
        select(AvailabilitySchedule.id, AvailabilitySchedule.name, Admin.name)
        .join(
            Admin,
            (Admin.org_id == AvailabilitySchedule.org_id)
            & (Admin.id == AvailabilitySchedule.admin_id),
        )
        .where(AvailabilitySchedule.admin_id.in_(host_ids))
        .order_by(Admin.name, AvailabilitySchedule.name)
    )
    return [(sid, f"{name} — {host}") for sid, name, host in rows]
