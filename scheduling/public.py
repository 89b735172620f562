"""What the public face needs beyond bookings: which organisation it serves, rate limits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session


def public_org_id(engine: Engine, slug: str | None) -> uuid.UUID | None:
    """The organisation public pages serve: by slug, or the first one when no slug is set."""
    with engine.connect() as conn:
        if slug:
            found = conn.execute(text("SELECT oh_org_id_by_slug(:s)"), {"s": slug}).scalar()
        else:
            found = conn.execute(text("SELECT oh_first_org_id()")).scalar()
    return found


COUNT_SQL = text(
    """
    INSERT INTO oh_rate_limits (org_id, bucket, key, window_start, count)
    SELECT :org, c.bucket, c.key, :window_start, 1
    FROM unnest(CAST(:buckets AS text[]), CAST(:keys AS text[])) AS c(bucket, key)
    ON CONFLICT (org_id, bucket, key, window_start)
    DO UPDATE SET count = oh_rate_limits.count + 1
    RETURNING bucket, key, count
    """
)


def over_limits(
    session: Session,
    limits: Iterable[tuple[str, str, int]],
    *,
    now: datetime,
    window: timedelta = timedelta(hours=1),
) -> bool:
    """Count one request for each (bucket, key, limit) in the current window, in one
    statement; True once any of them is past its limit."""
    start = datetime.fromtimestamp(
        now.timestamp() // window.total_seconds() * window.total_seconds(), tz=now.tzinfo
    )
    # Sorted, so two requests sharing counters lock them in the same order.
    wanted = {(bucket, key[:320]): limit for bucket, key, limit in sorted(limits)}
    rows = session.execute(
        COUNT_SQL,
        {
            "org": session.info["org_id"],
            "window_start": start,
            "buckets": [bucket for bucket, _ in wanted],
            "keys": [key for _, key in wanted],
        },
    )
    return any(row.count > wanted[(row.bucket, row.key)] for row in rows.all())
