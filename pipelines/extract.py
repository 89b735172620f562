"""Reading Postgres into Arrow: binary COPY through the ADBC PostgreSQL driver.

The driver runs `COPY (query) TO STDOUT (FORMAT binary)` and decodes the stream straight
into Arrow columns in C++, so no row ever becomes a Python object. It connects as the
application role, which row-level security binds to one organisation at a time: each
organisation is read in its own REPEATABLE READ, READ ONLY transaction with `app.org_id`
set for that transaction only, so all of its sources come from one consistent snapshot.
Listing the organisations needs the schema owner, the only role that may see them all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import adbc_driver_postgresql.dbapi as adbc
import pyarrow as pa

from pipelines.sources import SOURCE_BY_NAME, Source
from pipelines.watermarks import Watermark
from scheduling.jobs import libpq_url

BEGIN_TENANT = "SELECT set_config('app.org_id', $1, true), now()"
SNAPSHOT_SESSION = (
    "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
)


def extract_sql(source: Source, window: Watermark | None) -> str:
    """The query for `source`: everything, or the rows above `window` ($1 time, $2 id)."""
    if window is None or source.strategy == "snapshot":
        return source.select_sql()
    if source.strategy == "incremental":
        return (
            f"{source.select_sql()} WHERE (t.{source.cursor}, t.id) > ($1::timestamptz, $2::uuid)"
        )
    parent = SOURCE_BY_NAME[source.parent or ""]
    return (
        f"{source.select_sql()} JOIN {parent.table} p"
        f" ON p.org_id = t.org_id AND p.id = t.{source.parent_key}"
        f" WHERE (p.{parent.cursor}, p.id) > ($1::timestamptz, $2::uuid)"
    )


class TenantSnapshot:
    """One organisation's consistent view of Postgres, open for reading sources."""

    def __init__(self, cursor: Any, org_id: uuid.UUID, as_of: datetime) -> None:
        self.cursor = cursor
        self.org_id = org_id
        self.as_of = as_of

    def fetch(self, source: Source, window: Watermark | None = None) -> pa.Table:
        """The source's rows (above `window` when given) as an Arrow table."""
        sql = extract_sql(source, window)
        if window is None or source.strategy == "snapshot":
            self.cursor.execute(sql)
        else:
            self.cursor.execute(sql, parameters=(window.ts.isoformat(), str(window.id)))
        table: pa.Table = self.cursor.fetch_arrow_table()
        return table


class PostgresReader:
    """An ADBC connection of the application role that reads one organisation at a time."""

    def __init__(self, app_url: str) -> None:
        self.conn = adbc.connect(libpq_url(app_url))
        self.cursor = self.conn.cursor()
        self.cursor.execute(SNAPSHOT_SESSION)
        self.conn.commit()

    @contextmanager
    def tenant(self, org_id: uuid.UUID) -> Iterator[TenantSnapshot]:
        """A snapshot transaction of `org_id`; it ends (read only, so nothing to keep)."""
        try:
            self.cursor.execute(BEGIN_TENANT, parameters=(str(org_id),))
            as_of = self.cursor.fetchall()[0][1]
            yield TenantSnapshot(self.cursor, org_id, as_of)
        finally:
            self.conn.rollback()

    def close(self) -> None:
        """Close the cursor and the connection."""
        self.cursor.close()
        self.conn.close()

    def __enter__(self) -> PostgresReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
