"""Builders for test data: an organisation, hosts with weekly hours, events, sessions."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    AvailabilityRule,
    AvailabilitySchedule,
    Event,
    EventHost,
    GroupSession,
    MeetingType,
    Organization,
    Question,
    QuestionType,
    Team,
    TeamMember,
)
from tests.conftest import TestDatabase

WEEKDAYS = range(5)


def make_org(db: TestDatabase, name: str = "Acme School") -> uuid.UUID:
    """A fresh organisation; returns its id."""
    org_id = uuid.uuid4()
    with tenant_session(db.app_engine, org_id) as s:
        s.add(Organization(id=org_id, name=name, slug=f"org-{org_id.hex[:8]}"))
    return org_id


def add_host(
    s: Session,
    org_id: uuid.UUID,
    name: str,
    zone: str,
    hours: tuple[time, time] = (time(9), time(17)),
    days: range | tuple[int, ...] = WEEKDAYS,
    **limits: Any,
) -> Admin:
    """A host with one default schedule: `hours` on `days`, in `zone`."""
    slug = name.lower().replace(" ", "-")
    host = Admin(
        org_id=org_id,
        id=uuid.uuid4(),
        name=name,
        email=f"{slug}@acme.test",
        slug=slug,
        timezone=zone,
        default_buffer_before=limits.pop("buffer_before", 0),
        default_buffer_after=limits.pop("buffer_after", 0),
        max_meetings_per_day=limits.pop("per_day", None),
        max_meetings_per_week=limits.pop("per_week", None),
    )
    schedule = AvailabilitySchedule(
        org_id=org_id,
        id=uuid.uuid4(),
        admin_id=host.id,
        name="Working hours",
        timezone=zone,
        is_default=True,
    )
    s.add(host)
    s.flush()  # no ORM relationships, so rows are flushed parent first
    s.add(schedule)
    s.flush()
    s.add_all(
        AvailabilityRule(
            org_id=org_id,
            schedule_id=schedule.id,
            weekday=d,
            start_time=hours[0],
            end_time=hours[1],
        )
        for d in days
    )
    s.flush()
    return host


def add_event(
    s: Session,
    org_id: uuid.UUID,
    hosts: list[Admin],
    slug: str,
    meeting_type: MeetingType = MeetingType.ONE_ON_ONE,
    **settings: Any,
) -> Event:
    """An event hosted by `hosts`; `settings` are Event columns."""
    defaults: dict[str, Any] = {
        "duration_minutes": 30,
        "min_notice_hours": 0,
        "booking_window_days": 60,
        "capacity": 1,
        "display_timezone": hosts[0].timezone,
    }
    event = Event(
        org_id=org_id,
        id=uuid.uuid4(),
        slug=slug,
        title=slug.replace("-", " ").title(),
        meeting_type=meeting_type,
        **(defaults | settings),
    )
    s.add(event)
    s.flush()
    s.add_all(
        EventHost(org_id=org_id, event_id=event.id, admin_id=h.id, is_primary=i == 0)
        for i, h in enumerate(hosts)
    )
    s.flush()
    return event


def add_session(
    s: Session,
    org_id: uuid.UUID,
    event: Event,
    host: Admin,
    start: datetime,
    end: datetime,
    capacity: int,
) -> GroupSession:
    """A scheduled group session."""
    session = GroupSession(
        org_id=org_id,
        id=uuid.uuid4(),
        event_id=event.id,
        host_id=host.id,
        starts_at=start,
        ends_at=end,
        capacity=capacity,
    )
    s.add(session)
    s.flush()
    return session


def add_question(
    s: Session,
    org_id: uuid.UUID,
    event: Event,
    label: str,
    kind: QuestionType = QuestionType.TEXT,
    required: bool = False,
    options: list[str] | None = None,
    position: int = 0,
) -> Question:
    """A custom question on `event`'s booking form."""
    q = Question(
        org_id=org_id,
        id=uuid.uuid4(),
        event_id=event.id,
        label=label,
        question_type=kind,
        required=required,
        options=options or [],
        position=position,
    )
    s.add(q)
    s.flush()
    return q


def add_team(s: Session, org_id: uuid.UUID, members: list[uuid.UUID], name: str = "Tutors") -> Team:
    """A team of `members` (admin ids), flushed so callers can point at it."""
    team = Team(org_id=org_id, id=uuid.uuid4(), name=name, slug=name.lower())
    s.add(team)
    s.flush()
    s.add_all(TeamMember(org_id=org_id, team_id=team.id, admin_id=m) for m in members)
    return team
