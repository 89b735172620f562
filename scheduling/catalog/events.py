"""Event types: create, change, duplicate and deactivate them, and choose who hosts them.

Permissions (checked first, before anything is written):

- Creating or duplicating needs `events.create`, and every chosen host must be within the
  actor's reach (members: themselves; managers: their teams; admins: everyone).
- Changing an event (settings, hosts, questions, resources, sessions) needs `events.update`
  over the event's hosts; hosts being added must be within reach too.
- Deactivating needs `events.update` as well, not `events.delete`: it is undone by
  `update_event(is_active=True)` and keeps every booking, so it is a change of one setting.
  `events.delete` stays reserved for removing an event for good, which is not offered.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit, require, snapshot
from scheduling.catalog.errors import EventMissing, InvalidEvent
from scheduling.catalog.rules import (
    DEFAULTS,
    ONE_HOST,
    RELATED,
    SETTINGS,
    SLUG_MAX,
    check_combination,
    clean_settings,
    slugify,
)
from scheduling.models import (
    Admin,
    AvailabilitySchedule,
    EmailTemplate,
    Event,
    EventHost,
    MeetingType,
    PrepResource,
    Question,
)

OUT_OF_REACH = "choose hosts outside the people you manage"


def load_event(session: Session, event_id: uuid.UUID, *, lock: bool = False) -> Event:
    """The event with this id (active or not), or EventMissing; `lock` takes its row lock."""
    stmt = select(Event).where(Event.id == event_id)
    event = session.scalars(stmt.with_for_update() if lock else stmt).first()
    if event is None:
        raise EventMissing("We could not find that event.")
    return event


def host_ids_of(session: Session, event_id: uuid.UUID) -> list[uuid.UUID]:
    """The event's hosts in order: primary first, then as arranged."""
    return list(
        session.scalars(
            select(EventHost.admin_id)
            .where(EventHost.event_id == event_id)
            .order_by(EventHost.is_primary.desc(), EventHost.display_order)
        )
    )


def require_event_change(session: Session, actor: Actor, event: Event) -> list[uuid.UUID]:
    """Refuse unless `actor` may change `event`; return its hosts (the owners)."""
    hosts = host_ids_of(session, event.id)
    require(actor, "events.update", frozenset(hosts), what=f"change the event {event.title!r}")
    return hosts


def _require_reach(actor: Actor, permission: str, hosts: Iterable[uuid.UUID]) -> None:
    for host in hosts:
        require(actor, permission, frozenset({host}), what=OUT_OF_REACH)


def _check_hosts(session: Session, hosts: Sequence[uuid.UUID], errors: dict[str, str]) -> None:
    """At least one host, each once, each an active host of this organisation."""
    if not hosts:
        errors["hosts"] = "Choose at least one host."
        return
    if len(set(hosts)) != len(hosts):
        errors["hosts"] = "Each host can be chosen once."
        return
    found = {a.id: a for a in session.scalars(select(Admin).where(Admin.id.in_(hosts)))}
    for host in hosts:
        admin = found.get(host)
        if admin is None:
            errors["hosts"] = "One of the chosen hosts is not part of this organisation."
            return
        if not (admin.is_active and admin.is_host):
            errors["hosts"] = f"{admin.name} is not an active host."
            return


def _check_schedule(
    session: Session, schedule_id: uuid.UUID | None, hosts: Sequence[uuid.UUID]
) -> str | None:
    """Problem with pinning `schedule_id`, which must belong to one of the hosts."""
    if schedule_id is None:
        return None
    owner = session.scalar(
        select(AvailabilitySchedule.admin_id).where(AvailabilitySchedule.id == schedule_id)
    )
    if owner is None or owner not in hosts:
        return "Choose a schedule of one of the event's hosts, or each host's default."
    return None


def _slug_taken(session: Session, slug: str, other_than: uuid.UUID | None = None) -> bool:
    stmt = select(Event.id).where(Event.slug == slug)
    if other_than is not None:
        stmt = stmt.where(Event.id != other_than)
    return session.scalar(stmt.limit(1)) is not None


def taken_message(slug: str) -> str:
    """The refusal for a slug another event holds."""
    return f"Another event already uses the address /book/{slug}; choose another."


def free_slug(session: Session, base: str) -> str:
    """`base`, or `base-2`, `base-3` ... whichever no event uses yet."""
    base = base[: SLUG_MAX - 6].rstrip("-")
    used = set(session.scalars(select(Event.slug).where(Event.slug.like(f"{base}%"))))
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def _insert(session: Session, event: Event, hosts: Sequence[uuid.UUID]) -> None:
    """Add the event and its hosts; a slug taken by a concurrent writer becomes a field error."""
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError as exc:
        if "uq_oh_events_org_id_slug" in str(exc.orig):
            raise InvalidEvent({"slug": taken_message(event.slug)}) from None
        raise
    _write_hosts(session, event, hosts)


def _write_hosts(session: Session, event: Event, hosts: Sequence[uuid.UUID]) -> None:
    session.execute(delete(EventHost).where(EventHost.event_id == event.id))
    session.add_all(
        EventHost(
            org_id=event.org_id, event_id=event.id, admin_id=h, is_primary=i == 0, display_order=i
        )
        for i, h in enumerate(hosts)
    )
    session.flush()


def create_event(
    session: Session, actor: Actor, *, hosts: Sequence[uuid.UUID], **settings: Any
) -> Event:
    """A new event type hosted by `hosts` (the first is the primary host).

    Settings left out take their defaults; the display zone defaults to the primary host's
    zone and the slug, when empty, to a free one made from the title.
    """
    require(actor, "events.create", what="create events")
    hosts = list(hosts)
    _require_reach(actor, "events.create", set(hosts))
    values = DEFAULTS | {"title": None} | settings
    if "display_timezone" not in settings and hosts:
        zone = session.scalar(select(Admin.timezone).where(Admin.id == hosts[0]))
        values["display_timezone"] = zone or DEFAULTS["display_timezone"]
    derive = not str(settings.get("slug") or "").strip()
    if derive:
        values["slug"] = free_slug(session, slugify(str(settings.get("title") or "")))
    cleaned, errors = clean_settings(values)
    if "slug" not in errors and not derive and _slug_taken(session, cleaned["slug"]):
        errors["slug"] = taken_message(cleaned["slug"])
    _check_hosts(session, hosts, errors)
    if "schedule_id" not in errors and (
        problem := _check_schedule(session, cleaned.get("schedule_id"), hosts)
    ):
        errors["schedule_id"] = problem
    check_combination(cleaned, len(hosts), errors)
    if errors:
        raise InvalidEvent(errors)
    event = Event(org_id=actor.org_id, id=uuid.uuid4(), **cleaned)
    _insert(session, event, hosts)
    after = snapshot(event, SETTINGS) | {"hosts": [str(h) for h in hosts]}
    audit(session, actor, "event.created", "event", event.id, None, after)
    return event


def update_event(session: Session, actor: Actor, event_id: uuid.UUID, **changes: Any) -> Event:
    """Change any of an event's settings (SETTINGS); reactivate with is_active=True."""
    event = load_event(session, event_id, lock=True)
    hosts = require_event_change(session, actor, event)
    cleaned, errors = clean_settings(changes)
    current = {f: getattr(event, f) for f in SETTINGS}
    merged = current | cleaned
    if (
        "slug" in cleaned
        and cleaned["slug"] != event.slug
        and _slug_taken(session, cleaned["slug"], event.id)
    ):
        errors["slug"] = taken_message(cleaned["slug"])
    if "schedule_id" in cleaned and (
        problem := _check_schedule(session, cleaned["schedule_id"], hosts)
    ):
        errors["schedule_id"] = problem
    _check_changed_combination(merged, len(hosts), set(changes), errors)
    if errors:
        raise InvalidEvent(errors)
    changed = {k: v for k, v in cleaned.items() if current[k] != v}
    if not changed:
        return event
    before = snapshot(event, tuple(changed))
    for field, value in changed.items():
        setattr(event, field, value)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if "uq_oh_events_org_id_slug" in str(exc.orig):
            raise InvalidEvent({"slug": taken_message(event.slug)}) from None
        raise
    audit(
        session, actor, "event.updated", "event", event.id, before, snapshot(event, tuple(changed))
    )
    return event


def _check_changed_combination(
    merged: dict[str, Any], n_hosts: int, changing: set[str], errors: dict[str, str]
) -> None:
    """Combination problems that involve a field being changed; an old inconsistency in
    fields nobody touched does not block an unrelated change."""
    found = dict(errors)
    check_combination(merged, n_hosts, found)
    for field, message in found.items():
        if field not in errors and RELATED[field] & changing:
            errors[field] = message


def deactivate_event(session: Session, actor: Actor, event_id: uuid.UUID) -> Event:
    """Take an event off the public pages; its bookings stay and can still be managed."""
    event = load_event(session, event_id, lock=True)
    require_event_change(session, actor, event)
    if not event.is_active:
        return event
    event.is_active = False
    session.flush()
    audit(
        session,
        actor,
        "event.deactivated",
        "event",
        event.id,
        {"is_active": True},
        {"is_active": False},
    )
    return event


def set_event_hosts(
    session: Session, actor: Actor, event_id: uuid.UUID, hosts: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Replace the event's hosts with `hosts`, in order; the first is the primary host.

    Existing bookings keep the hosts they were made with.
    """
    event = load_event(session, event_id, lock=True)
    current = require_event_change(session, actor, event)
    hosts = list(hosts)
    _require_reach(actor, "events.update", set(hosts) - set(current))
    errors: dict[str, str] = {}
    _check_hosts(session, hosts, errors)
    if not errors and event.meeting_type is MeetingType.ONE_ON_ONE and len(hosts) != 1:
        errors["hosts"] = f"{ONE_HOST} Choose another meeting type for several hosts."
    if errors:
        raise InvalidEvent(errors)
    if hosts == current:
        return hosts
    _write_hosts(session, event, hosts)
    audit(
        session,
        actor,
        "event.hosts_set",
        "event",
        event.id,
        {"hosts": [str(h) for h in current]},
        {"hosts": [str(h) for h in hosts]},
    )
    return hosts


def duplicate_event(session: Session, actor: Actor, event_id: uuid.UUID) -> Event:
    """An inactive copy titled "... (copy)" with a new slug: every setting, the hosts, the
    questions, the preparation resources and the event's own message templates.

    Group sessions are dated and hold their hosts' time, so they are not copied. The copy
    stays off the public pages until someone activates it.
    """
    source = load_event(session, event_id)
    hosts = host_ids_of(session, source.id)
    require(actor, "events.create", what="duplicate events")
    _require_reach(actor, "events.create", set(hosts))
    values = {f: getattr(source, f) for f in SETTINGS} | {
        "slug": free_slug(session, f"{source.slug}-copy"),
        "title": f"{source.title} (copy)"[:255],
        "is_active": False,
    }
    copy = Event(org_id=actor.org_id, id=uuid.uuid4(), **values)
    _insert(session, copy, hosts)
    questions = _copy_rows(
        session,
        copy,
        select(Question).where(Question.event_id == source.id, Question.archived_at.is_(None)),
        ("label", "help_text", "question_type", "options", "required", "position"),
    )
    prep = _copy_rows(
        session,
        copy,
        select(PrepResource).where(PrepResource.event_id == source.id),
        ("title", "url", "description", "position"),
    )
    templates = _copy_rows(
        session,
        copy,
        select(EmailTemplate).where(EmailTemplate.event_id == source.id),
        ("kind", "subject", "body"),
    )
    audit(
        session,
        actor,
        "event.duplicated",
        "event",
        copy.id,
        None,
        snapshot(copy, SETTINGS)
        | {
            "duplicated_from": str(source.id),
            "hosts": [str(h) for h in hosts],
            "questions": questions,
            "prep_resources": prep,
            "email_templates": templates,
        },
    )
    return copy


def _copy_rows(session: Session, target: Event, stmt: Any, fields: tuple[str, ...]) -> int:
    """Copy the rows `stmt` selects onto `target` (fields listed); how many were copied."""
    rows = list(session.scalars(stmt))
    for row in rows:
        values = {f: getattr(row, f) for f in fields}
        session.add(type(row)(org_id=target.org_id, id=uuid.uuid4(), event_id=target.id, **values))
    session.flush()
    return len(rows)
