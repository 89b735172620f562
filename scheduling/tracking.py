"""Attendee behaviour for analytics: the funnel steps of roadmap 6.1, written in batches."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scheduling.db.tenant import TableRows, insert_rows
from scheduling.models import AnalyticsEvent

EVENT_TYPES = frozenset(
    {"page_view", "slot_view", "booking_started", "booking_completed", "reschedule", "cancel"}
)


@dataclass(frozen=True, slots=True)
class TrackedStep:
    """One step of a visit."""

    event_type: str
    created_at: datetime
    session_id: str | None = None
    event_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None
    user_agent: str | None = None
    referrer: str | None = None
    utm: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)


def record_steps(session: Session, org_id: uuid.UUID, steps: Sequence[TrackedStep]) -> int:
    """Insert the known steps in one statement; unknown types are dropped. Returns the count."""
    rows = step_rows(org_id, steps)
    insert_rows(session, AnalyticsEvent, rows)  # can ride in a pipeline
    return len(rows)


def tracked_rows(org_id: uuid.UUID, steps: Sequence[TrackedStep]) -> TableRows:
    """The known steps as rows for a statement that carries them (a new booking's)."""
    return TableRows(AnalyticsEvent, step_rows(org_id, steps))


def step_rows(org_id: uuid.UUID, steps: Sequence[TrackedStep]) -> list[dict[str, Any]]:
    """The `oh_analytics_events` rows of the known steps; unknown types are dropped."""
    return [
        {
            "org_id": org_id,
            "id": uuid.uuid4(),
            "event_type": s.event_type,
            "event_id": s.event_id,
            "booking_id": s.booking_id,
            "session_id": (s.session_id or "")[:100] or None,
            "user_agent": (s.user_agent or "")[:1000] or None,
            "referrer": (s.referrer or "")[:500] or None,
            "utm_source": s.utm.get("source"),
            "utm_medium": s.utm.get("medium"),
            "utm_campaign": s.utm.get("campaign"),
            "metadata": s.metadata,
            "created_at": s.created_at,
        }
        for s in steps
        if s.event_type in EVENT_TYPES
    ]
