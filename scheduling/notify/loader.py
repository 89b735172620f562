"""Read a booking and its template from the database, as messages need them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from scheduling.booking.tokens import manage_token
from scheduling.models import (
    Admin,
    Answer,
    Attendee,
    Booking,
    BookingHost,
    EmailTemplate,
    Event,
    Organization,
    PrepResource,
    Question,
    TemplateKind,
)
from scheduling.notify.templates import DEFAULT_TEMPLATES, MessageTemplate
from scheduling.notify.view import BookingView, Person


def load_view(
    session: Session, booking_id: uuid.UUID, *, secret: str, base_url: str
) -> BookingView:
    """The booking as messages see it, with the attendee's self-service link."""
    booking = session.scalars(select(Booking).where(Booking.id == booking_id)).one()
    event = session.scalars(select(Event).where(Event.id == booking.event_id)).one()
    org = session.scalars(select(Organization)).one()
    people = session.scalars(
        select(Attendee).where(Attendee.booking_id == booking.id).order_by(Attendee.is_guest)
    ).all()
    zone = booking.attendee_timezone or "UTC"
    main = people[0]
    previous = (
        session.scalars(select(Booking).where(Booking.id == booking.rescheduled_from_id)).first()
        if booking.rescheduled_from_id
        else None
    )
    token = manage_token(secret, booking.id)
    return BookingView(
        booking_id=str(booking.id),
        ical_uid=booking.ical_uid or f"{booking.id}@liveschool",
        sequence=booking.ics_sequence,
        status=booking.status.value,
        organization=org.name,
        event_title=event.title,
        event_description=event.description or "",
        duration_minutes=event.duration_minutes,
        start=booking.starts_at,
        end=booking.ends_at,
        location=event.location or "",
        video_link=event.video_link or "",
        hosts=_hosts(session, booking),
        attendee=Person(main.name or main.email, main.email, main.timezone or zone),
        guests=tuple(Person(g.email, g.email, g.timezone or zone) for g in people[1:]),
        answers=_answers(session, booking),
        prep_resources=tuple(
            (r.title, r.url or "")
            for r in session.scalars(
                select(PrepResource)
                .where(PrepResource.event_id == event.id)
                .order_by(PrepResource.position)
            )
        ),
        manage_url=f"{base_url}/booking/{booking.id}?token={token}",
        cancellation_reason=booking.cancellation_reason or "",
        previous_start=previous.starts_at if previous else None,
        previous_end=previous.ends_at if previous else None,
        extra={"cancelled_by": booking.cancelled_by or "", "event_slug": event.slug},
    )


def _hosts(session: Session, booking: Booking) -> tuple[Person, ...]:
    rows = session.scalars(
        select(Admin)
        .join(
            BookingHost, (BookingHost.org_id == Admin.org_id) & (BookingHost.admin_id == Admin.id)
        )
        .where(BookingHost.booking_id == booking.id)
        .order_by(Admin.name)
    )
    return tuple(Person(a.name, a.email, a.timezone) for a in rows)


def _answers(session: Session, booking: Booking) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(Question.label, Answer.value)
        .join(Answer, (Answer.org_id == Question.org_id) & (Answer.question_id == Question.id))
        .where(Answer.booking_id == booking.id)
        .order_by(Question.position)
    )
    return tuple(
        (label, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
        for label, value in rows
    )


@dataclass(frozen=True, slots=True)
class ResolvedTemplate:
    """The template a message uses and where it comes from."""

    template: MessageTemplate
    source: str  # "event" (the event's own), "organisation" or "default"
    updated_at: datetime | None = None


def resolve_template(
    session: Session, event_id: uuid.UUID | None, kind: TemplateKind
) -> ResolvedTemplate:
    """The event's own template, else the organisation's, else the shipped default."""
    scope: ColumnElement[bool] = EmailTemplate.event_id.is_(None)
    if event_id is not None:
        scope = scope | (EmailTemplate.event_id == event_id)
    row = session.scalars(
        select(EmailTemplate)
        .where(EmailTemplate.kind == kind, scope)
        .order_by(EmailTemplate.event_id.is_(None))  # false (the event's own) first
        .limit(1)
    ).first()
    if row is None:
        return ResolvedTemplate(DEFAULT_TEMPLATES[kind], "default")
    source = "organisation" if row.event_id is None else "event"
    return ResolvedTemplate(MessageTemplate(row.subject, row.body), source, row.updated_at)


def template_for(session: Session, event_id: uuid.UUID, kind: TemplateKind) -> MessageTemplate:
    """The template a message about a booking of `event_id` uses (see resolve_template)."""
    return resolve_template(session, event_id, kind).template
