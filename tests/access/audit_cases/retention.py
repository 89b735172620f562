"""Audit cases for audit retention: the setting and the purge."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from scheduling.access import Actor, retention
from scheduling.models import AuditLog
from tests.access.audit_cases import Cases

MODULES = (retention,)
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def _purge_an_old_row(s: Session, org: uuid.UUID) -> int:
    s.add(
        AuditLog(
            org_id=org,
            actor_label="long ago",
            action="booking.cancelled",
            entity_type="booking",
            created_at=NOW - timedelta(days=400),
        )
    )
    s.flush()
    return retention.purge_audit_logs(s, Actor.system(org), NOW)


CASES: Cases = {
    "set_audit_retention": (
        "organization.updated",
        lambda s, o, w: retention.set_audit_retention(s, Actor.system(o), 90),
    ),
    "purge_audit_logs": ("audit.purged", lambda s, o, w: _purge_an_old_row(s, o)),
}
