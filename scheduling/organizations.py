"""The organisations directory and per-organisation summaries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, text

from scheduling.db import tenant_session
from scheduling.models import Admin, Booking, BookingStatus, Event, Organization


def organisation_ids(owner_engine: Engine) -> list[uuid.UUID]:
    """Every organisation, in id order (the owner's read-only directory policy allows it)."""
    with owner_engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM oh_organizations ORDER BY id")).scalars())


def organisation_count(owner_engine: Engine) -> int:
    """How many organisations exist; needs the schema owner (the app role sees only its own)."""
    with owner_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM oh_organizations")).scalar_one())


@dataclass(frozen=True, slots=True)
class OrgOverview:
    """Headline numbers of one organisation."""

    name: str
    hosts: int
    active_events: int
    upcoming_bookings: int
    bookings_last_30_days: int


def org_overview(engine: Engine, org_id: uuid.UUID, now: datetime) -> OrgOverview | None:
    """Headline numbers for `org_id` at `now`, or None if the organisation does not exist."""
    live = Booking.status.in_([BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL])
    with tenant_session(engine, org_id) as s:
        name = s.scalar(select(Organization.name))
        if name is None:
            return None

        def count(stmt: object) -> int:
            return int(s.scalar(stmt) or 0)  # type: ignore[call-overload]

        return OrgOverview(
            name=name,
            hosts=count(select(func.count()).select_from(Admin).where(Admin.is_host)),
            active_events=count(select(func.count()).select_from(Event).where(Event.is_active)),
            upcoming_bookings=count(
                select(func.count()).select_from(Booking).where(live, Booking.starts_at >= now)
            ),
            bookings_last_30_days=count(
                select(func.count())
                .select_from(Booking)
                .where(Booking.created_at >= now - timedelta(days=30))
            ),
        )
