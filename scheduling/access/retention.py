"""Audit retention: each organisation keeps its audit log for a set number of days.

A daily job (scheduling/access/tasks.py) deletes older rows in every organisation and
leaves one audit row saying how many went. Both the setting and a purge need
organisation-wide team.manage, like reading the log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduling.access.actor import Actor, require
from scheduling.access.audit import audit
from scheduling.models import AuditLog, Organization

MIN_DAYS, MAX_DAYS = 30, 3650  # the database's check constraint says the same


class InvalidRetention(ValueError):
    """A retention the platform will not keep; `errors` maps field to message."""

    code, status = "invalid_retention", 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _organisation(session: Session) -> Organization:
    return session.scalars(select(Organization).with_for_update()).one()


def audit_retention_days(session: Session) -> int:
    """How many days the organisation keeps audit rows."""
    return int(session.scalars(select(Organization.audit_retention_days)).one())


def set_audit_retention(session: Session, actor: Actor, days: int) -> Organization:
    """Keep the audit log for `days` days (30 to 3650); older rows go at the next purge."""
    require(actor, "team.manage", frozenset(), what="change how long the audit log is kept")
    if isinstance(days, bool) or not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidRetention(
            {"audit_retention_days": f"Keep the audit log between {MIN_DAYS} and {MAX_DAYS} days."}
        )
    org = _organisation(session)
    before = {"audit_retention_days": org.audit_retention_days}
    org.audit_retention_days = days
    audit(
        session,
        actor,
        "organization.updated",
        "organization",
        org.id,
        before,
        {"audit_retention_days": days},
    )
    return org


def purge_audit_logs(session: Session, actor: Actor, now: datetime) -> int:
    """Delete audit rows older than the retention at `now`; return how many went. When
    any did, one new audit row records how many and the cut-off."""
    require(actor, "team.manage", frozenset(), what="purge the audit log")
    org = _organisation(session)  # locked: a retention change waits for the purge
    cutoff = now - timedelta(days=org.audit_retention_days)
    result = session.execute(
        delete(AuditLog)
        .where(AuditLog.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    deleted = int(result.rowcount)  # type: ignore[attr-defined]
    if deleted:
        audit(
            session,
            actor,
            "audit.purged",
            "organization",
            org.id,
            after={
                "deleted": deleted,
                "older_than": cutoff,
                "retention_days": org.audit_retention_days,
            },
        )
    return deleted
