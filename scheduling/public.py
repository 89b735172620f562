"""What the public face needs beyond bookings: which organisation it serves, rate limits."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from scheduling.models import RateLimitCounter


def public_org_id(engine: Engine, slug: str | None) -> uuid.UUID | None:
    """The organisation public pages serve: by slug, or the first one when no slug is set."""
    with engine.connect() as conn:
        if slug:
            found = conn.execute(text("SELECT oh_org_id_by_slug(:s)"), {"s": slug}).scalar()
        else:
            found = conn.execute(text("SELECT oh_first_org_id()")).scalar()
    return found


def over_limit(
    session: Session,
    bucket: str,
    key: str,
    limit: int,
    *,
    now: datetime,
    window: timedelta = timedelta(hours=1),
) -> bool:
    """Count one request for (bucket, key) in the current window; True once past `limit`."""
    start = datetime.fromtimestamp(
        now.timestamp() // window.total_seconds() * window.total_seconds(), tz=now.tzinfo
    )
    stmt = (
        insert(RateLimitCounter)
        .values(
            org_id=session.info["org_id"], bucket=bucket, key=key[:320], window_start=start, count=1
        )
        .on_conflict_do_update(
            index_elements=["org_id", "bucket", "key", "window_start"],
            set_={"count": RateLimitCounter.count + 1},
        )
        .returning(RateLimitCounter.count)
    )
    return int(session.execute(stmt).scalar_one()) > limit
