"""What the public face needs beyond bookings: which organisation it serves, rate limits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, text

from scheduling.db.tenant import TENANT_SQL


def public_org_id(engine: Engine, slug: str | None) -> uuid.UUID | None:
    """The organisation public pages serve: by slug, or the first one when no slug is set."""
    with engine.connect() as conn:
        if slug:
            found = conn.execute(text("SELECT oh_org_id_by_slug(:s)"), {"s": slug}).scalar()
        else:
            found = conn.execute(text("SELECT oh_first_org_id()")).scalar()
    return found


COUNT_SQL = """
    INSERT INTO oh_rate_limits (org_id, bucket, key, window_start, count)
    SELECT %(org)s, c.bucket, c.key, %(window_start)s, 1
    FROM unnest(%(buckets)s::text[], %(keys)s::text[]) AS c(bucket, key)
    ON CONFLICT (org_id, bucket, key, window_start)
    DO UPDATE SET count = oh_rate_limits.count + 1
    RETURNING bucket, key, count
"""


def over_limits(
    conn: Connection,
    org_id: uuid.UUID,
    limits: Iterable[tuple[str, str, int]],
    *,
    now: datetime,
    window: timedelta = timedelta(hours=1),
) -> bool:
    """Count one request for each (bucket, key, limit) in the current window, committed at
    once on `conn` (idle; left open) so refused attempts count too; True once any of them
    is past its limit.

    Everything one IP does lands on one counter row (an office, a NAT, a load test), so the
    transaction is sent as one pipeline (tenant, upsert, COMMIT): the row stays locked only
    inside the server, never across a trip back to a busy Python process. It commits
    without waiting for the disk: a count lost in a crash lets a few more attempts through.
    """
    start = datetime.fromtimestamp(
        now.timestamp() // window.total_seconds() * window.total_seconds(), tz=now.tzinfo
    )
    # Sorted, so two requests sharing counters lock them in the same order.
    wanted = {(bucket, key[:320]): limit for bucket, key, limit in sorted(limits)}
    params = {
        "org": org_id,
        "window_start": start,
        "buckets": [bucket for bucket, _ in wanted],
        "keys": [key for _, key in wanted],
    }
    if conn.in_transaction():
        raise RuntimeError("Rate limits commit on their own: pass an idle connection.")
    raw = conn.connection.driver_connection
    assert raw is not None  # a checked-out connection is open
    with raw.pipeline():
        raw.execute(TENANT_SQL, [str(org_id)])
        raw.execute("SET LOCAL synchronous_commit = off")
        cursor = raw.execute(COUNT_SQL, params)
        raw.commit()
    rows = cursor.fetchall()
    return any(count > wanted[(bucket, key)] for bucket, key, count in rows)
