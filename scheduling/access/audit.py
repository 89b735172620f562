"""The audit log: every write through the services, in the same transaction as the write."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from scheduling.access.actor import Actor
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
    row = AuditLog(
        org_id=actor.org_id,
        actor_id=actor.admin_id,
        actor_label=actor.label[:320],
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        old_values=_plain(before) if before is not None else None,
        new_values=_plain(after) if after is not None else None,
        ip_address=(actor.ip or "")[:45] or None,
        user_agent=actor.user_agent,
    )
    session.add(row)
    return row
