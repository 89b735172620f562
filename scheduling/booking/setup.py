"""An event's setup (the event, its questions, hosts and schedules) kept in memory between
transactions, for as long as the organisation's configuration version stays the same.

Reading a setup takes three queries; checking the version takes nothing: the statement that
enters the transaction's organisation returns it (`db.tenant.entered_version`). Every write
to the tables a setup comes from gives the organisation a version never used before, in
the writer's transaction (migration 0015), so a transaction that sees the version a setup
was stored under sees the same setup in the database: the memory is never older than what
the transaction could read itself. Setups are kept per database too (a process may serve
several, as the tests do). A setup read under version v may be newer than v (a change
committed between the two reads); it is then stored under v and read again once the
transaction that changed it is visible.

The setup's Event and Question objects are detached from any session and shared between
threads: read them, never change them.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scheduling.booking import errors
from scheduling.booking.inputs import EventRules, load_rules
from scheduling.db.tenant import entered_version
from scheduling.models import Event, Question


@dataclass(frozen=True, slots=True)
class EventSetup:
    """What booking reads of an event besides other bookings."""

    event: Event
    questions: tuple[Question, ...]
    rules: EventRules


def get_event(
    session: Session, *, event_id: uuid.UUID | None = None, slug: str | None = None
) -> Event:
    """An active event by id or slug, or EventNotFound."""
    stmt = select(Event).where(Event.is_active)
    stmt = stmt.where(Event.id == event_id) if event_id else stmt.where(Event.slug == slug)
    event = session.scalars(stmt).first()
    if event is None:
        raise errors.EventNotFound("We could not find that event.")
    return event


def live_questions(session: Session, event: Event) -> tuple[Question, ...]:
    """`event`'s questions on its form (archived ones left out), in order."""
    return tuple(
        session.scalars(
            select(Question)
            .where(Question.event_id == event.id, Question.archived_at.is_(None))
            .order_by(Question.position)
        )
    )


def load_setup(session: Session, event: Event) -> EventSetup:
    """`event`'s setup, read now."""
    return EventSetup(event, live_questions(session, event), load_rules(session, event))


def config_version(session: Session) -> int:
    """The organisation's configuration version as `session`'s transaction sees it: 0 before
    any change to its setup (and for a session of no organisation, which sees no rows)."""
    return entered_version(session) or 0


# The database of each engine, as text: a URL hashes by rendering itself (7 us, twice a
# booking), an engine by identity.
_DATABASES: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def database_of(engine: Engine) -> str:
    """The database `engine` connects to (its URL, password hidden), remembered per engine."""
    found = _DATABASES.get(engine)
    if found is None:
        found = _DATABASES[engine] = engine.url.render_as_string(hide_password=True)
    return found


class SetupCache:
    """Event setups by (database, organisation, slug), each with the version it was read
    under."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._entries: dict[tuple[str, uuid.UUID, str], tuple[int, EventSetup]] = {}
        self._lock = threading.Lock()

    def setup(self, session: Session, org_id: uuid.UUID, slug: str) -> EventSetup:
        """The active event `slug`'s setup, from memory while the version holds; raises
        EventNotFound (never remembered: an event may be added at any time)."""
        version = config_version(session)
        key = (database_of(session.get_bind().engine), org_id, slug)
        found = self._entries.get(key)
        if found is not None and found[0] == version:
            return found[1]
        setup = load_setup(session, get_event(session, slug=slug))
        for loaded in (setup.event, *setup.questions):  # they outlive the session
            session.expunge(loaded)
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()  # plain and bounded: a full cache starts again
            self._entries[key] = (version, setup)
        return setup

    def peek(self, engine: Engine, org_id: uuid.UUID, slug: str) -> EventSetup | None:
        """The setup last read for `slug` in `engine`'s database, unchecked: for building reads
        to send with a transaction's BEGIN, before `setup` can check the version (see
        `service.recheck_reads`)."""
        found = self._entries.get((database_of(engine), org_id, slug))
        return None if found is None else found[1]

    def clear(self) -> None:
        """Forget every setup."""
        with self._lock:
            self._entries.clear()


# One per process: setups are the same whichever face or thread reads them.
SETUPS = SetupCache()
