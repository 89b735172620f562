"""The Audit log page's retention setting and purge, under every built-in role (AppTest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduling.access import audit_retention_days
from scheduling.db import tenant_session
from scheduling.models import AuditLog
from tests.conftest import TestDatabase
from tests.console.harness import ROLES, Staff, make_staff

SAVE = "FormSubmitter:retention-Save retention"


@pytest.fixture
def staff(db: TestDatabase) -> Staff:
    return make_staff(db)


def retention(staff: Staff) -> int:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        return audit_retention_days(s)


def actions(staff: Staff, action: str) -> list[dict | None]:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        return [r.new_values for r in s.scalars(select(AuditLog).where(AuditLog.action == action))]


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_see_the_log_and_its_retention(staff: Staff, role: str) -> None:
    at = staff.page("audit", role)
    assert not at.exception
    if role in ("super_admin", "admin"):
        assert at.number_input(key="audit_days").value == 365
        assert (
            "Entries older than 365 days are deleted every day at 03:17 UTC" in at.caption[1].value
        )
        assert [b.key for b in at.button if b.key == "audit_purge"] == ["audit_purge"]
    else:
        assert [e.value for e in at.error] == ["You are not allowed to read the audit log."]
        assert len(at.number_input) == 0


def test_admin_changes_the_retention(staff: Staff) -> None:
    at = staff.page("audit", "admin")
    at.number_input(key="audit_days").set_value(90)
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert at.success[0].value == "Entries are now kept for 90 days."
    assert retention(staff) == 90
    assert actions(staff, "organization.updated") == [{"audit_retention_days": 90}]


@pytest.mark.parametrize("days", [10, 4000])
def test_out_of_range_retention_shows_under_the_field_and_writes_nothing(
    staff: Staff, days: int
) -> None:
    at = staff.page("audit", "admin")
    at.number_input(key="audit_days").set_value(days)
    at.button(key=SAVE).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Keep the audit log between 30 and 3650 days."]
    assert at.number_input(key="audit_days").value == days  # kept for correcting
    assert retention(staff) == 365
    assert actions(staff, "organization.updated") == []


def test_purge_now_deletes_what_is_older_than_the_retention(staff: Staff) -> None:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        s.add(
            AuditLog(
                org_id=staff.org,
                actor_label="ancient@acme.test",
                action="booking.cancelled",
                entity_type="booking",
                created_at=datetime.now(UTC) - timedelta(days=500),
            )
        )
    at = staff.page("audit", "admin")
    at.button(key="audit_purge").click().run()
    assert not at.exception
    assert at.success[0].value == "Deleted 1 entry older than 365 days."
    (purged,) = actions(staff, "audit.purged")
    assert purged is not None and purged["deleted"] == 1
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert (
            s.scalars(select(AuditLog).where(AuditLog.actor_label == "ancient@acme.test")).all()
            == []
        )
