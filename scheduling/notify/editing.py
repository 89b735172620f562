"""Editing message templates: what each kind uses now, save, reset, variables, preview.

A template is organisation-wide (event_id None) or one event's override; messages use the
event's own, else the organisation's, else the shipped default (loader.resolve_template,
the same lookup the sender uses). Organisation-wide templates need events.update over the
whole organisation; an event's template needs events.update over that event's hosts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit, can, require
from scheduling.models import EmailTemplate, Event, EventHost, TemplateKind
from scheduling.notify.compose import Reader, compose, context_for
from scheduling.notify.loader import resolve_template
from scheduling.notify.sample import (
    SAMPLE_ATTENDEE,
    SAMPLE_HOST,
    sample_booking_page_url,
    sample_view,
)
from scheduling.notify.templates import (
    VARIABLES,
    MessageTemplate,
    template_problems,
)

MAX_SUBJECT = 500  # the column's length
MAX_BODY = 20_000
UNIQUE = "uq_oh_email_templates_org_id_event_id_kind"
SAMPLE_NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)  # checks need a time; any will do
_READERS = (Reader(SAMPLE_ATTENDEE, is_host=False), Reader(SAMPLE_HOST, is_host=True))


class InvalidTemplate(ValueError):
    """A template that cannot be saved; `errors` maps "subject", "body" or "" to a message."""

    code, status = "invalid_template", 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class TemplateInUse:
    """What one kind of message uses now in one scope (the organisation or one event)."""

    kind: TemplateKind
    event_id: uuid.UUID | None
    scope: str  # "Organisation" or the event's title
    source: str  # "event" (its own), "organisation" or "default"
    subject: str
    body: str
    updated_at: datetime | None

    @property
    def is_custom_here(self) -> bool:
        """Whether this scope has its own saved template (which a reset removes)."""
        return self.source == ("organisation" if self.event_id is None else "event")


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable a template may use, what it holds and its value in the sample booking."""

    name: str
    meaning: str
    example: str


@dataclass(frozen=True, slots=True)
class Preview:
    """A template rendered for the sample booking, as the reader would receive it."""

    subject: str
    text: str
    html: str


def _owners(session: Session, event_id: uuid.UUID | None) -> frozenset[uuid.UUID]:
    """The hosts of `event_id`; nobody for organisation-wide templates."""
    if event_id is None:
        return frozenset()
    return frozenset(
        session.scalars(select(EventHost.admin_id).where(EventHost.event_id == event_id))
    )


def _what(event_id: uuid.UUID | None) -> str:
    return (
        "change this event's email templates"
        if event_id
        else "change the organisation's email templates"
    )


def may_edit(session: Session, actor: Actor, event_id: uuid.UUID | None) -> bool:
    """Whether `actor` may change the templates of `event_id` (None: organisation-wide)."""
    return can(actor, "events.update", _owners(session, event_id))


def editable_events(session: Session, actor: Actor) -> list[Event]:
    """Events whose templates `actor` may change, by title."""
    events = session.scalars(select(Event).order_by(Event.title, Event.slug)).all()
    hosts: dict[uuid.UUID, set[uuid.UUID]] = {}
    for event_id, admin_id in session.execute(select(EventHost.event_id, EventHost.admin_id)):
        hosts.setdefault(event_id, set()).add(admin_id)
    return [e for e in events if can(actor, "events.update", frozenset(hosts.get(e.id, ())))]


def template_in_use(
    session: Session, kind: TemplateKind, event_id: uuid.UUID | None, scope: str
) -> TemplateInUse:
    """What `kind` uses now for `event_id` (None: organisation-wide), labelled `scope`."""
    resolved = resolve_template(session, event_id, kind)
    return TemplateInUse(
        kind,
        event_id,
        scope,
        resolved.source,
        resolved.template.subject,
        resolved.template.body,
        resolved.updated_at,
    )


def templates_in_use(session: Session, actor: Actor) -> list[TemplateInUse]:
    """Every kind organisation-wide, then every kind of each event with an override that
    `actor` may read; custom or default as messages would use them now."""
    require(actor, "events.read", what="see email templates")
    rows = [template_in_use(session, kind, None, "Organisation") for kind in TemplateKind]
    overridden = select(EmailTemplate.event_id).where(EmailTemplate.event_id.is_not(None))
    events = session.scalars(
        select(Event).where(Event.id.in_(overridden)).order_by(Event.title, Event.slug)
    ).all()
    for event in events:
        if can(actor, "events.read", _owners(session, event.id)):
            rows += [template_in_use(session, kind, event.id, event.title) for kind in TemplateKind]
    return rows


def _validate(
    session: Session, kind: TemplateKind, event_id: uuid.UUID | None, subject: str, body: str
) -> None:
    errors: dict[str, str] = {}
    if event_id is not None and session.get(Event, (session.info["org_id"], event_id)) is None:
        errors[""] = "That event does not exist."
    if not subject.strip():
        errors["subject"] = "Please enter a subject."
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = f"Keep the subject under {MAX_SUBJECT} characters."
    if not body.strip():
        errors["body"] = "Please enter a message."
    elif len(body) > MAX_BODY:
        errors["body"] = f"Keep the message under {MAX_BODY:,} characters."
    if "subject" not in errors and "body" not in errors:
        errors |= template_problems(MessageTemplate(subject, body), sample_contexts(kind))
    if errors:
        raise InvalidTemplate(errors)


def update_template(
    session: Session,
    actor: Actor,
    kind: TemplateKind,
    event_id: uuid.UUID | None,
    subject: str,
    body: str,
) -> EmailTemplate:
    """Save the subject and body `kind` uses for `event_id` (None: the organisation)."""
    require(actor, "events.update", _owners(session, event_id), what=_what(event_id))
    _validate(session, kind, event_id, subject, body)
    existing = _custom(session, kind, event_id)
    before = _state(existing) if existing else None
    values = {"subject": subject.strip(), "body": body}
    row_id = session.scalar(  # one statement, so two first saves at once cannot collide
        insert(EmailTemplate)
        .values(org_id=actor.org_id, event_id=event_id, kind=kind, **values)
        .on_conflict_do_update(constraint=UNIQUE, set_=values)
        .returning(EmailTemplate.id)
    )
    row = session.scalars(
        select(EmailTemplate)
        .where(EmailTemplate.id == row_id)
        .execution_options(populate_existing=True)
    ).one()
    audit(session, actor, "template.updated", "email_template", row.id, before, _state(row))
    return row


def reset_template(
    session: Session, actor: Actor, kind: TemplateKind, event_id: uuid.UUID | None
) -> None:
    """Remove the custom template of `kind` for `event_id`, so the organisation's (for an
    event) or the shipped default applies again."""
    require(actor, "events.update", _owners(session, event_id), what=_what(event_id))
    row = _custom(session, kind, event_id)
    if row is None:
        fallback = "the default" if event_id is None else "the organisation's template"
        raise InvalidTemplate({"": f"Nothing to reset: this already uses {fallback}."})
    before = _state(row)
    session.execute(delete(EmailTemplate).where(EmailTemplate.id == row.id))
    audit(session, actor, "template.reset", "email_template", row.id, before, None)


def _custom(
    session: Session, kind: TemplateKind, event_id: uuid.UUID | None
) -> EmailTemplate | None:
    scope = (
        EmailTemplate.event_id.is_(None) if event_id is None else EmailTemplate.event_id == event_id
    )
    return session.scalars(
        select(EmailTemplate).where(EmailTemplate.kind == kind, scope).with_for_update()
    ).first()


def _state(row: EmailTemplate) -> dict[str, Any]:
    return {"kind": row.kind, "event_id": row.event_id, "subject": row.subject, "body": row.body}


def sample_contexts(kind: TemplateKind, now: datetime = SAMPLE_NOW) -> list[dict[str, Any]]:
    """The variables of a `kind` message about the sample booking, for an attendee and for
    a host: what templates are checked and previewed against."""
    view = sample_view(kind, now=now)
    return [context_for(kind, view, reader, sample_booking_page_url()) for reader in _READERS]


def template_variables(kind: TemplateKind, now: datetime = SAMPLE_NOW) -> list[Variable]:
    """The variables that carry a value in a `kind` message, with their sample values.

    Derived from what the sender builds (compose.context_for) for the sample booking, so
    the list cannot drift from what messages really receive.
    """
    attendee, host = sample_contexts(kind, now)
    return [
        Variable(name, VARIABLES.get(name, ""), _example(attendee[name], host[name]))
        for name in attendee
        if isinstance(attendee[name], bool) or attendee[name] or host[name]
    ]


def _example(for_attendee: Any, for_host: Any) -> str:
    if isinstance(for_attendee, bool):
        return f"{for_host} for hosts, {for_attendee} for the attendee"
    value = for_attendee or for_host
    if isinstance(value, list):
        return "; ".join(" — ".join(map(str, item)) for item in value)
    return str(value)


def preview_template(
    kind: TemplateKind,
    subject: str,
    body: str,
    *,
    as_host: bool,
    now: datetime,
    organization: str = "Northwind Learning",
    event_title: str = "Portfolio Review",
    duration_minutes: int = 30,
) -> Preview:
    """`subject` and `body` rendered for the sample booking as the attendee (or a host)
    would receive them: the same composer the sender uses, so links and the host's
    missing self-service link come out exactly as sent. Raises InvalidTemplate."""
    template = MessageTemplate(subject, body)
    view = sample_view(
        kind,
        now=now,
        organization=organization,
        event_title=event_title,
        duration_minutes=duration_minutes,
    )
    problems = template_problems(
        template, [context_for(kind, view, r, sample_booking_page_url()) for r in _READERS]
    )
    if problems:
        raise InvalidTemplate(problems)
    message = compose(
        kind,
        view,
        _READERS[1] if as_host else _READERS[0],
        template,
        sender="preview@liveschool.localhost",
        now=now,
        booking_page_url=sample_booking_page_url(),
    )
    text, html = (message.get_body((part,)) for part in ("plain", "html"))
    assert text is not None and html is not None
    return Preview(str(message["Subject"]), text.get_content(), html.get_content())
