"""Event types with their hosts, questions and prep resources; tags; weekly group sessions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.demo.calendar import Limits
from scheduling.demo.content import MEET, SITE, EventSpec, QuestionSpec
from scheduling.demo.data import DemoData, Row
from scheduling.demo.event_catalog import EVENTS
from scheduling.demo.ids import DEMO_ORG_ID, stable_id
from scheduling.demo.org import Host
from scheduling.demo.period import Period, at_wall
from scheduling.demo.phrases import TAGS
from scheduling.models.enums import LocationType, MeetingType


@dataclass(frozen=True)
class Event:
    """A generated event type: spec, id, display zone, hosts, questions and its limits."""

    spec: EventSpec
    id: uuid.UUID
    zone: str
    hosts: tuple[Host, ...]
    questions: tuple[tuple[uuid.UUID, QuestionSpec], ...]
    limits: Limits
    created_at: datetime

    @property
    def kind(self) -> MeetingType:
        """The meeting type."""
        return self.spec.meeting_type


@dataclass(frozen=True)
class Session:
    """A group session (`oh_slots` row) as the booking generator sees it."""

    id: uuid.UUID
    event: Event
    host: Host
    starts_at: datetime
    ends_at: datetime
    capacity: int
    created_at: datetime


def add_events(data: DemoData, hosts: dict[str, Host], period: Period) -> list[Event]:
    """Every event type with its rows; display zone is the primary host's zone."""
    events: list[Event] = []
    for index, spec in enumerate(EVENTS):
        zone = hosts[spec.hosts[0]].spec.timezone
        created = period.setup_at + timedelta(days=2, hours=index)
        event = Event(
            spec=spec,
            id=stable_id("event", spec.slug),
            zone=zone,
            hosts=tuple(hosts[name] for name in spec.hosts),
            questions=tuple(
                (stable_id("question", spec.slug, pos), q) for pos, q in enumerate(spec.questions)
            ),
            limits=Limits(ZoneInfo(zone), spec.max_daily, spec.max_weekly),
            created_at=created,
        )
        data.events.append(_event_row(event, period))
        _add_event_children(data, event)
        events.append(event)
    return events


def _event_row(event: Event, period: Period) -> Row:
    """One `oh_events` row."""
    spec = event.spec
    video = spec.location_type is LocationType.VIDEO
    return {
        "org_id": DEMO_ORG_ID,
        "id": event.id,
        "slug": spec.slug,
        "title": spec.title,
        "description": spec.description,
        "duration_minutes": spec.duration,
        "slot_increment_minutes": spec.increment,
        "location_type": spec.location_type,
        "location": spec.location,
        "video_link": f"{MEET}/{spec.slug}" if video else None,
        "meeting_type": spec.meeting_type,
        "capacity": spec.capacity,
        "min_notice_hours": spec.notice_hours,
        "max_daily_bookings": spec.max_daily,
        "max_weekly_bookings": spec.max_weekly,
        "booking_window_days": spec.window_days,
        "require_approval": spec.require_approval,
        "buffer_before": spec.buffer_before,
        "buffer_after": spec.buffer_after,
        "allow_guests": spec.guest_limit > 0,
        "guest_limit": spec.guest_limit,
        "display_timezone": event.zone,
        "lock_timezone": spec.lock_timezone,
        "schedule_id": None,
        "is_active": True,
        "created_at": event.created_at,
        "updated_at": event.created_at + (period.now - event.created_at) / 3,
    }


def _add_event_children(data: DemoData, event: Event) -> None:
    """Event hosts, questions and prep resources of one event."""
    stamp = event.created_at + timedelta(minutes=5)
    base = {"org_id": DEMO_ORG_ID, "event_id": event.id}
    for order, host in enumerate(event.hosts):
        data.event_hosts.append(
            {**base, "admin_id": host.id, "is_primary": order == 0, "display_order": order}
        )
    for position, (question_id, q) in enumerate(event.questions):
        data.questions.append(
            {
                **base,
                "id": question_id,
                "label": q.label,
                "help_text": q.help_text,
                "question_type": q.kind,
                "options": list(q.options),
                "required": q.required,
                "position": position,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    for position, r in enumerate(event.spec.resources):
        data.prep_resources.append(
            {
                **base,
                "id": stable_id("resource", event.spec.slug, position),
                "title": r.title,
                "url": f"{SITE}{r.path}",
                "description": r.description,
                "position": position,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )


def add_tags(data: DemoData, period: Period) -> dict[str, uuid.UUID]:
    """The organisation's tags; ids by name."""
    stamp = period.setup_at + timedelta(days=3)
    ids: dict[str, uuid.UUID] = {}
    for name, color in TAGS:
        ids[name] = stable_id("tag", name)
        data.tags.append(
            {
                "org_id": DEMO_ORG_ID,
                "id": ids[name],
                "name": name,
                "color": color,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return ids


def add_sessions(data: DemoData, events: list[Event], period: Period) -> list[Session]:
    """Weekly sessions of group events, reserved for their host; cancelled if the host is away."""
    sessions: list[Session] = []
    for event in events:
        for plan in event.spec.sessions:
            host = next(h for h in event.hosts if h.spec.name == plan.host)
            for day in period.days():
                if day.weekday() != plan.weekday:
                    continue
                session = _session(event, host, day, plan.start, period)
                live = _reserve_session(session)
                data.slots.append(_session_row(session, cancelled=not live))
                if live:
                    sessions.append(session)
    return sessions


def _session(event: Event, host: Host, day: date, start: str, period: Period) -> Session:
    """One session on a local date of its host; published eight weeks ahead."""
    starts_at = at_wall(day, start, ZoneInfo(host.spec.timezone))
    latest = period.now - timedelta(days=1)
    created = max(
        event.created_at + timedelta(hours=1), min(starts_at - timedelta(weeks=8), latest)
    )
    return Session(
        id=stable_id("slot", event.spec.slug, host.slug, day),
        event=event,
        host=host,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=event.spec.duration),
        capacity=event.spec.capacity,
        created_at=created,
    )


def session_buffers(session: Session) -> tuple[int, int]:
    """Buffers (minutes) of a session's bookings: the event's, else the host's defaults."""
    spec, host = session.event.spec, session.host.spec
    before = host.buffer_before if spec.buffer_before is None else spec.buffer_before
    after = host.buffer_after if spec.buffer_after is None else spec.buffer_after
    return before, after


def _reserve_session(session: Session) -> bool:
    """Block the session's padded time in the host's calendar, if the host is free then."""
    before, after = session_buffers(session)
    lo = session.starts_at - timedelta(minutes=before)
    hi = session.ends_at + timedelta(minutes=after)
    if not session.host.calendar.is_free(lo, hi):
        return False
    session.host.calendar.reserve(lo, hi)
    return True


def _session_row(session: Session, *, cancelled: bool) -> Row:
    """One `oh_slots` row."""
    return {
        "org_id": DEMO_ORG_ID,
        "id": session.id,
        "event_id": session.event.id,
        "host_id": session.host.id,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "capacity": session.capacity,
        "is_cancelled": cancelled,
        "created_at": session.created_at,
        "updated_at": session.created_at,
    }
