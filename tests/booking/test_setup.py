"""Event setups kept in memory: the configuration version and when a setup is read again."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm import Session

from scheduling.booking import EventNotFound
from scheduling.booking.setup import SetupCache, config_version
from scheduling.db import tenant_session
from scheduling.db.tenant import entered_version
from scheduling.models import AvailabilityOverride, AvailabilitySchedule, Event, Question
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_question, make_org

SETUP_TABLES = [
    "oh_events",
    "oh_questions",
    "oh_event_hosts",
    "oh_admins",
    "oh_availability_schedules",
    "oh_availability_rules",
    "oh_availability_overrides",
]


def _org_with_an_event(db: TestDatabase) -> uuid.UUID:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ada = add_host(s, org, "Ada Host", "America/New_York")
        intro = add_event(s, org, [ada], "intro")
        add_question(s, org, intro, "Topic", required=True)
        schedule = s.scalars(select(AvailabilitySchedule)).one()
        s.add(AvailabilityOverride(org_id=org, schedule_id=schedule.id, day=date(2026, 12, 24)))
    return org


def _version(db: TestDatabase, org: uuid.UUID) -> int:
    with tenant_session(db.app_engine, org) as s:
        return config_version(s)


@pytest.mark.parametrize("table", SETUP_TABLES)
def test_every_change_to_a_setup_table_moves_the_version(db: TestDatabase, table: str) -> None:
    org = _org_with_an_event(db)
    before = _version(db, org)
    with tenant_session(db.app_engine, org) as s:
        changed = s.execute(text(f"UPDATE {table} SET org_id = org_id")).rowcount
    assert changed >= 1
    assert _version(db, org) > before


def test_a_version_is_never_used_twice_even_after_a_reset(db: TestDatabase) -> None:
    # An organisation deleted and made again (a demo reset, a test database emptied between
    # tests) must not meet a setup kept under one of its old numbers.
    org = _org_with_an_event(db)
    before = _version(db, org)
    with tenant_session(db.app_engine, org) as s:
        s.execute(text("DELETE FROM oh_config_versions"))
    assert _version(db, org) == 0
    with tenant_session(db.app_engine, org) as s:
        s.execute(update(Event).values(title="Again"))
    assert _version(db, org) > before


def test_the_version_is_per_organisation(db: TestDatabase) -> None:
    first, second = _org_with_an_event(db), _org_with_an_event(db)
    before = _version(db, second)
    with tenant_session(db.app_engine, first) as s:
        s.execute(update(Event).values(title="Renamed"))
    assert _version(db, second) == before


def test_entering_the_organisation_reads_its_version(db: TestDatabase) -> None:
    org, other = _org_with_an_event(db), _org_with_an_event(db)
    with tenant_session(db.app_engine, org) as s:
        expected = s.execute(text("SELECT version FROM oh_config_versions")).scalar_one()
        assert entered_version(s) == expected
    with tenant_session(db.app_engine, other) as s:
        assert entered_version(s) not in (None, expected)
    with tenant_session(db.app_engine, org) as s:
        s.execute(text("DELETE FROM oh_config_versions"))
    with tenant_session(db.app_engine, org) as s:
        assert entered_version(s) is None
        assert config_version(s) == 0


def _setup_title(cache: SetupCache, db: TestDatabase, org: uuid.UUID) -> tuple[int, str]:
    with tenant_session(db.app_engine, org) as s:
        setup = cache.setup(s, org, "intro")
    return id(setup), setup.event.title


def test_a_setup_is_kept_until_its_organisation_changes_something(db: TestDatabase) -> None:
    org = _org_with_an_event(db)
    cache = SetupCache()
    first = _setup_title(cache, db, org)
    assert _setup_title(cache, db, org) == first  # the same object: nothing was read
    with tenant_session(db.app_engine, org) as s:
        s.execute(update(Event).values(title="Intro call"))
    again = _setup_title(cache, db, org)
    assert again[0] != first[0]
    assert again[1] == "Intro call"


def test_a_kept_setup_is_detached_and_complete(db: TestDatabase) -> None:
    org = _org_with_an_event(db)
    cache = SetupCache()
    with tenant_session(db.app_engine, org) as s:
        setup = cache.setup(s, org, "intro")
        assert setup.event not in s
    assert [q.label for q in setup.questions] == ["Topic"]
    assert [h.name for h in setup.rules.hosts] == ["Ada Host"]
    assert cache.peek(db.app_engine, org, "intro") is setup
    # Kept per database, not per engine: another engine to the same database finds it.
    other = create_engine(db.app_engine.url)
    try:
        assert cache.peek(other, org, "intro") is setup
        elsewhere = create_engine(db.app_engine.url.set(database="elsewhere"))
        assert cache.peek(elsewhere, org, "intro") is None
    finally:
        other.dispose()


def test_an_inactive_or_unknown_event_is_not_found(db: TestDatabase) -> None:
    org = _org_with_an_event(db)
    cache = SetupCache()
    with tenant_session(db.app_engine, org) as s:
        s.execute(update(Event).values(is_active=False))
    for slug in ("intro", "nope"):
        with tenant_session(db.app_engine, org) as s, pytest.raises(EventNotFound):
            cache.setup(s, org, slug)
    assert cache.peek(db.app_engine, org, "intro") is None


def test_archived_questions_leave_the_setup(db: TestDatabase) -> None:
    org = _org_with_an_event(db)
    cache = SetupCache()

    def labels(s: Session) -> list[str]:
        return [q.label for q in cache.setup(s, org, "intro").questions]

    with tenant_session(db.app_engine, org) as s:
        assert labels(s) == ["Topic"]
    with tenant_session(db.app_engine, org) as s:
        s.execute(update(Question).values(archived_at=text("now()")))
    with tenant_session(db.app_engine, org) as s:
        assert labels(s) == []
