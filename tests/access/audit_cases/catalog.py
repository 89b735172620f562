"""Audit cases for the event catalogue (events, hosts, questions, resources, sessions)."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from sqlalchemy.orm import Session

import scheduling.catalog as catalog
from scheduling.access import Actor
from scheduling.booking import get_event
from scheduling.models import Admin, MeetingType
from tests.access.audit_cases import Cases
from tests.access.audit_cases.access_booking import MONDAY, NOW
from tests.factories import add_event, add_host, add_session

MODULES = (catalog,)


def _call(s: Session) -> uuid.UUID:
    return get_event(s, slug="call").id


def _group(s: Session, o: uuid.UUID, w: dict) -> uuid.UUID:
    host = s.get(Admin, (o, w["host"]))
    assert host is not None
    return add_event(s, o, [host], "study-hall", MeetingType.GROUP, capacity=5).id


def _session(s: Session, o: uuid.UUID, w: dict) -> uuid.UUID:
    host = s.get(Admin, (o, w["host"]))
    assert host is not None
    event = add_event(s, o, [host], "study-hall", MeetingType.GROUP, capacity=5)
    return add_session(s, o, event, host, MONDAY, MONDAY + timedelta(hours=1), 5).id


CASES: Cases = {
    "create_event": (
        "event.created",
        lambda s, o, w: catalog.create_event(s, Actor.system(o), hosts=[w["host"]], title="New"),
    ),
    "update_event": (
        "event.updated",
        lambda s, o, w: catalog.update_event(s, Actor.system(o), _call(s), title="Renamed"),
    ),
    "deactivate_event": (
        "event.deactivated",
        lambda s, o, w: catalog.deactivate_event(s, Actor.system(o), _call(s)),
    ),
    "duplicate_event": (
        "event.duplicated",
        lambda s, o, w: catalog.duplicate_event(s, Actor.system(o), _call(s)),
    ),
    "set_event_hosts": (
        "event.hosts_set",
        lambda s, o, w: catalog.set_event_hosts(
            s, Actor.system(o), _call(s), [add_host(s, o, "Ben Tutor", "Europe/London").id]
        ),
    ),
    "set_questions": (
        "event.questions_set",
        lambda s, o, w: catalog.set_questions(
            s, Actor.system(o), _call(s), [catalog.QuestionInput("Why?", required=True)]
        ),
    ),
    "set_prep_resources": (
        "event.prep_set",
        lambda s, o, w: catalog.set_prep_resources(
            s, Actor.system(o), _call(s), [catalog.PrepInput("Guide", "https://acme.test/g")]
        ),
    ),
    "add_session": (
        "session.created",
        lambda s, o, w: catalog.add_session(
            s, Actor.system(o), _group(s, o, w), starts_at=MONDAY, now=NOW
        ),
    ),
    "add_weekly_sessions": (
        "session.created",
        lambda s, o, w: catalog.add_weekly_sessions(
            s,
            Actor.system(o),
            _group(s, o, w),
            weekdays=[0],
            start_time=time(18),
            first_day=date(2026, 11, 30),
            last_day=date(2026, 12, 6),
            now=NOW,
        ),
    ),
    "delete_session": (
        "session.deleted",
        lambda s, o, w: catalog.delete_session(s, Actor.system(o), _session(s, o, w)),
    ),
}
