"""`seed_demo`: write the demo organisation in one tenant transaction, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, insert, select

from scheduling.booking.derived import complete_booking_rows, occupy_loaded_bookings
from scheduling.config import get_config
from scheduling.db.tenant import tenant_session
from scheduling.demo.build import build_demo
from scheduling.demo.ids import DEMO_ORG_ID
from scheduling.demo.logins import grant_demo_logins
from scheduling.models import Attendee, Booking, Organization

# Serialises concurrent seeders so only one of them inserts the organisation.
ADVISORY_LOCK_KEY = 0x6E6F72746877  # "northw"


@dataclass(frozen=True)
class SeedResult:
    """Whether this call created the demo, and the rows it wrote per table."""

    created: bool
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the command line, e.g. '3,512 bookings, 48,201 rows in 24 tables'."""
        if not self.created:
            return "already loaded, nothing written"
        total = sum(self.counts.values())
        return (
            f"{self.counts['oh_bookings']:,} bookings, {total:,} rows in {len(self.counts)} tables"
        )


def seed_demo(
    app_engine: Engine, today: date | None = None, secret: str | None = None
) -> SeedResult:
    """Insert the demo organisation through the application role unless it already exists.

    `secret` derives the bookings' self-service tokens (default: the configured SECRET_KEY).
    """
    anchor = today or datetime.now(UTC).date()
    with tenant_session(app_engine, DEMO_ORG_ID) as session:
        session.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        exists = session.scalar(select(Organization.id).where(Organization.id == DEMO_ORG_ID))
        if exists is not None:
            return SeedResult(created=False)
        data = build_demo(anchor)
        tables = dict(data.tables())
        complete_booking_rows(
            tables[Booking], tables[Attendee], secret or get_config().resolved_secret_key()
        )
        for model, rows in data.tables():
            if rows:
                # Keep NULLs in the statement: otherwise rows are batched by which keys are
                # None, and thousands of tiny batches make the load several times slower.
                session.execute(insert(model), rows, execution_options={"render_nulls": True})
        occupy_loaded_bookings(session)
        grant_demo_logins(session)
    return SeedResult(created=True, counts=data.counts())
