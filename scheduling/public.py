"""What the public face needs beyond bookings: which organisation it serves, rate limits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import Engine, text

from scheduling.db.tenant import commit_transaction


def public_org_id(engine: Engine, slug: str | None) -> uuid.UUID | None:
    """The organisation public pages serve: by slug, or the first one when no slug is set."""
    with engine.connect() as conn:
        if slug:
            found = conn.execute(text("SELECT oh_org_id_by_slug(:s)"), {"s": slug}).scalar()
        else:
            found = conn.execute(text("SELECT oh_first_org_id()")).scalar()
    return found


# The attempt counted against each (bucket, key), in the organisation, committing without
# waiting for the disk (migration 0017), its queries on one generic plan (migration 0018).
COUNT_SQL = (
    "SELECT bucket, key, count "
    "FROM oh_count_attempt(%(org)s, %(window_start)s, %(buckets)s, %(keys)s)"
)


class Attempt:
    """One request counted against limits: (bucket, key, limit) each, in the current window.

    `queue` sends the count as a transaction of its own (one statement and its COMMIT) on an
    idle psycopg connection in pipeline mode, where it can travel with whatever follows it (the
    booking face sends its unit of work's BEGIN and first reads in the same round trip);
    `over` reads the counts once that round trip is made: True once any is past its limit.

    Everything one IP does (an office, a NAT, a load test) lands on the counter rows of one
    key, one row per server process (`oh_count_attempt` sums them), so the count never waits
    on the client: a row stays locked only inside the server, never across a trip back to a
    busy Python process. It commits without waiting for the disk: a count lost in a crash
    lets a few more attempts through.
    """

    def __init__(
        self,
        org_id: uuid.UUID,
        limits: Iterable[tuple[str, str, int]],
        *,
        now: datetime,
        window: timedelta = timedelta(hours=1),
    ) -> None:
        start = datetime.fromtimestamp(
            now.timestamp() // window.total_seconds() * window.total_seconds(), tz=now.tzinfo
        )
        # Sorted, so two requests sharing counters lock them in the same order.
        self._limits = {(bucket, key[:320]): limit for bucket, key, limit in sorted(limits)}
        self._params = {
            "org": org_id,
            "window_start": start,
            "buckets": [bucket for bucket, _ in self._limits],
            "keys": [key for _, key in self._limits],
        }
        self._cursor: psycopg.Cursor[Any] | None = None

    def queue(self, raw: psycopg.Connection[Any]) -> None:
        """Queue the counting transaction on `raw` (idle, in a pipeline). In explicit-transaction
        mode (`db.tenant.explicit_transactions`) it needs no BEGIN: the statement opens an
        implicit transaction, which the COMMIT ends before the next BEGIN (a BEGIN would
        make it part of the next transaction instead)."""
        self._cursor = raw.execute(COUNT_SQL, self._params)
        commit_transaction(raw)

    def over(self) -> bool:
        """Whether any count is past its limit (after the round trip `queue` joined)."""
        if self._cursor is None:
            raise RuntimeError("The attempt was not counted: queue it first.")
        rows = self._cursor.fetchall()
        return any(count > self._limits[(bucket, key)] for bucket, key, count in rows)
