"""Background tasks that send booking messages (registered on the job app)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scheduling.config import Config, get_config
from scheduling.db import app_engine, tenant_session
from scheduling.jobs import task
from scheduling.models import Admin, Booking, BookingStatus, TemplateKind
from scheduling.notify.compose import Reader, compose
from scheduling.notify.dispatch import queue_messages
from scheduling.notify.loader import load_view, template_for
from scheduling.notify.mail import ORG_HEADER, mailer_for
from scheduling.notify.view import BookingView, Person


def _reader(session: Session, view: BookingView, email: str, is_host: bool) -> Reader:
    people = view.hosts if is_host else (view.attendee, *view.guests)
    person = next((p for p in people if p.email == email), None)
    if person is None and is_host:  # a former host (the booking was reassigned)
        admin = session.scalars(select(Admin).where(Admin.email == email)).first()
        person = Person(admin.name, admin.email, admin.timezone) if admin else None
    return Reader(person or Person(email, email, view.attendee.timezone), is_host)


def send_booking_message(
    engine: Engine,
    config: Config,
    org_id: uuid.UUID,
    booking_id: uuid.UUID,
    kind: TemplateKind,
    email: str,
    is_host: bool,
    starts_in: str = "",
) -> None:
    """Render `kind` for one reader and deliver it; an exception makes the job retry."""
    with tenant_session(engine, org_id) as s:
        view = load_view(
            s, booking_id, secret=config.resolved_secret_key(), base_url=config.public_base_url
        )
        template = template_for(s, _event_id(s, booking_id), kind)
        reader = _reader(s, view, email, is_host)
    if starts_in:
        view.extra["starts_in"] = starts_in
    message = compose(
        kind,
        view,
        reader,
        template,
        sender=config.mail_from,
        now=datetime.now(UTC),
        booking_page_url=f"{config.public_base_url}/book/{view.extra['event_slug']}",
    )
    message[ORG_HEADER] = str(org_id)  # lets the console's mailbox show each its own
    mailer_for(config).send(message)


def _event_id(session: Session, booking_id: uuid.UUID) -> uuid.UUID:
    booking = session.get(Booking, (session.info["org_id"], booking_id))
    assert booking is not None
    return booking.event_id


def queue_reminder(
    engine: Engine, org_id: uuid.UUID, booking_id: uuid.UUID, starts_at: str, label: str
) -> int:
    """Send a due reminder, unless the booking was cancelled or moved since; return count."""
    with tenant_session(engine, org_id) as s:
        booking = s.get(Booking, (org_id, booking_id))
        live = booking is not None and booking.status is BookingStatus.CONFIRMED
        if not live or booking.starts_at != datetime.fromisoformat(starts_at):  # type: ignore[union-attr]
            return 0
        return queue_messages(s, booking, TemplateKind.REMINDER, starts_in=label)  # type: ignore[arg-type]


@task(name="notify.send")
def send(
    org_id: str, booking_id: str, kind: str, email: str, is_host: bool, starts_in: str = ""
) -> None:
    """Job: one message to one reader."""
    send_booking_message(
        app_engine(),
        get_config(),
        uuid.UUID(org_id),
        uuid.UUID(booking_id),
        TemplateKind(kind),
        email,
        is_host,
        starts_in,
    )


@task(name="notify.reminder")
def reminder(org_id: str, booking_id: str, starts_at: str, label: str) -> None:
    """Job: at reminder time, queue the reminder for every reader."""
    queue_reminder(app_engine(), uuid.UUID(org_id), uuid.UUID(booking_id), starts_at, label)
