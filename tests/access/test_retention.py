"""Audit retention: the per-organisation setting, the purge, and the daily job in a worker."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError

from scheduling.access import (
    InvalidRetention,
    NotAllowed,
    audit_retention_days,
    purge_audit_logs,
    set_audit_retention,
)
from scheduling.access.tasks import (
    PERIODIC_ID,
    PURGE_TASK,
    purge_every_organisation,
    purge_schedule,
)
from scheduling.config import Config, get_config
from scheduling.db import tenant_session
from scheduling.jobs import app, defer
from scheduling.models import AuditLog, Organization
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff
from tests.factories import make_org
from tests.workers import Workers, wait_for

NOW = datetime(2026, 11, 27, 3, 17, tzinfo=UTC)
RANGE = "Keep the audit log between 30 and 3650 days."


def add_rows(db: TestDatabase, org: uuid.UUID, *ages_in_days: float) -> None:
    """Audit rows written `ages_in_days` before NOW."""
    with tenant_session(db.app_engine, org) as s:
        s.add_all(
            AuditLog(
                org_id=org,
                actor_label="someone@acme.test",
                action=f"booking.cancelled.{age}",
                entity_type="booking",
                created_at=NOW - timedelta(days=age),
            )
            for age in ages_in_days
        )


def actions(db: TestDatabase, org: uuid.UUID) -> list[str]:
    with tenant_session(db.app_engine, org) as s:
        return sorted(s.scalars(select(AuditLog.action)))


@pytest.fixture
def staff(db: TestDatabase) -> Staff:
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        s.execute(delete(AuditLog))
    return staff


def test_admins_set_the_retention_and_it_is_audited(staff: Staff) -> None:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert audit_retention_days(s) == 365
        set_audit_retention(s, staff.actor("admin"), 90)
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert audit_retention_days(s) == 90
        (row,) = s.scalars(select(AuditLog))
    assert (row.action, row.actor_label) == ("organization.updated", "admin@acme.test")
    assert (row.old_values, row.new_values) == (
        {"audit_retention_days": 365},
        {"audit_retention_days": 90},
    )


@pytest.mark.parametrize("days", [29, 3651, 0, -5])
def test_retention_outside_30_to_3650_days_is_refused_and_nothing_written(
    staff: Staff, days: int
) -> None:
    with (
        pytest.raises(InvalidRetention) as info,
        tenant_session(staff.db.app_engine, staff.org) as s,
    ):
        set_audit_retention(s, staff.actor("admin"), days)
    assert info.value.errors == {"audit_retention_days": RANGE}
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert audit_retention_days(s) == 365
    assert actions(staff.db, staff.org) == []


def test_the_database_refuses_an_out_of_range_retention_too(staff: Staff) -> None:
    with (
        pytest.raises(IntegrityError, match="ck_oh_organizations_audit_retention"),
        tenant_session(staff.db.app_engine, staff.org) as s,
    ):
        s.execute(text("UPDATE oh_organizations SET audit_retention_days = 7"))


@pytest.mark.parametrize("role", ["manager", "member", "viewer"])
def test_only_organisation_wide_team_managers_set_or_purge(staff: Staff, role: str) -> None:
    actor = staff.actor(role)
    with tenant_session(staff.db.app_engine, staff.org) as s:
        with pytest.raises(NotAllowed, match="change how long the audit log is kept"):
            set_audit_retention(s, actor, 90)
        with pytest.raises(NotAllowed, match="purge the audit log"):
            purge_audit_logs(s, actor, NOW)


def test_purge_deletes_rows_past_the_retention_and_says_how_many(staff: Staff) -> None:
    add_rows(staff.db, staff.org, 400, 365.01, 364.99, 1)
    other = make_org(staff.db, "Other School")
    add_rows(staff.db, other, 400)
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert purge_audit_logs(s, staff.actor("admin"), NOW) == 2
    assert actions(staff.db, staff.org) == [
        "audit.purged",
        "booking.cancelled.1",
        "booking.cancelled.364.99",
    ]
    with tenant_session(staff.db.app_engine, staff.org) as s:
        purged = s.scalars(select(AuditLog).where(AuditLog.action == "audit.purged")).one()
        assert purge_audit_logs(s, staff.actor("admin"), NOW) == 0  # nothing more, no new row
    assert purged.new_values == {
        "deleted": 2,
        "older_than": (NOW - timedelta(days=365)).isoformat(),
        "retention_days": 365,
    }
    assert actions(staff.db, other) == ["booking.cancelled.400"]  # another tenant's log


def test_every_organisation_is_purged_by_its_own_retention(db: TestDatabase) -> None:
    short, long = make_org(db, "Short"), make_org(db, "Long")
    with tenant_session(db.app_engine, short) as s:
        s.execute(update(Organization).values(audit_retention_days=30))
    add_rows(db, short, 31, 29)
    add_rows(db, long, 31, 29)
    deleted = purge_every_organisation(db.owner_engine, db.app_engine, NOW)
    assert deleted == {short: 1, long: 0}
    assert actions(db, short) == ["audit.purged", "booking.cancelled.29"]
    assert actions(db, long) == ["booking.cancelled.29", "booking.cancelled.31"]


def test_the_purge_is_a_daily_periodic_job_unless_turned_off() -> None:
    periodic = app.periodic_registry.periodic_tasks[(PURGE_TASK, PERIODIC_ID)]
    assert periodic.cron == get_config().audit_purge_cron == "17 3 * * *"
    assert purge_schedule(get_config()) == "every day at 03:17 UTC"
    off = Config.from_env({"AUDIT_PURGE_CRON": "off"})
    assert off.audit_purge_cron is None
    assert purge_schedule(off) == "only when purged by hand (AUDIT_PURGE_CRON is off)"
    hourly = Config.from_env({"AUDIT_PURGE_CRON": "0 * * * *"})
    assert purge_schedule(hourly) == "on the schedule 0 * * * * (cron, UTC)"


@pytest.mark.slow
def test_a_worker_runs_the_purge_over_every_organisation(
    db: TestDatabase, workers: Workers
) -> None:
    first, second = make_org(db, "First"), make_org(db, "Second")
    add_rows(db, first, 400, 2)
    add_rows(db, second, 500)
    with tenant_session(db.app_engine, first) as s:
        defer(s, PURGE_TASK, timestamp=int(NOW.timestamp()))
    workers.start()
    expected = {
        first: ["audit.purged", "booking.cancelled.2"],
        second: ["audit.purged"],
    }
    wait_for(
        lambda: all(actions(db, org) == rows for org, rows in expected.items()),
        60,
        "the worker to purge both organisations",
        workers,
    )
    with tenant_session(db.app_engine, first) as s:
        assert s.scalar(select(Organization.audit_retention_days)) == 365
