"""The audit log: every write through the services, in the same transaction as the write."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.access.actor import Actor, require
from scheduling.models import AuditLog


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Chosen attributes of a model object as JSON-ready values."""
    return {f: _plain(getattr(obj, f)) for f in fields}


def audit(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Record `action` (e.g. "booking.cancelled") by `actor` on one entity."""
    row = AuditLog(**audit_row(actor, action, entity_type, entity_id, before, after))
    session.add(row)
    return row


def audit_row(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `oh_audit_logs` columns of one entry, for a caller inserting rows itself."""
    return {
        "org_id": actor.org_id,
        "actor_id": actor.admin_id,
        "actor_label": actor.label[:320],
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "old_values": _plain(before) if before is not None else None,
        "new_values": _plain(after) if after is not None else None,
        "ip_address": (actor.ip or "")[:45] or None,
        "user_agent": actor.user_agent,
    }


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the audit page asks for; every field optional."""

    actor_label: str | None = None
    action: str | None = None
    entity_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 1000


def audit_entries(session: Session, actor: Actor, query: AuditFilter) -> list[AuditLog]:
    """Audit rows matching `query`, newest first; reading them needs organisation-wide
    team.manage (admins)."""
    require(actor, "team.manage", frozenset(), what="read the audit log")
    stmt = select(AuditLog).order_by(AuditLog.created_at.desc()).limit(query.limit)
    if query.actor_label:
        stmt = stmt.where(AuditLog.actor_label.ilike(f"%{query.actor_label}%"))
    if query.action:
        stmt = stmt.where(AuditLog.action == query.action)
    if query.entity_type:
        stmt = stmt.where(AuditLog.entity_type == query.entity_type)
    if query.since:
        stmt = stmt.where(AuditLog.created_at >= query.since)
    if query.until:
        stmt = stmt.where(AuditLog.created_at < query.until)
    return list(session.scalars(stmt))
