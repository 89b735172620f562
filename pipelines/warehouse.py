"""The warehouse file: built beside the live one, swapped in atomically, read read-only.

A run never writes the file readers use. It copies the live file (or starts an empty one
for a full reconcile) to `<name>.building`, loads and models there, checkpoints, and then
`os.replace`s it over the live path. Readers that opened the old file keep reading it (the
inode stays until they close); new readers see the new one. A run that fails or is killed
leaves the live file untouched; its leftover building file is removed by the next run. An
exclusive lock on `<name>.lock` keeps two runs, from any processes, from overlapping.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.sources import SOURCES, Source
from pipelines.watermarks import Watermark

META_DDL = (
    "CREATE TABLE IF NOT EXISTS pipeline_watermarks ("
    "source VARCHAR, org_id UUID, ts TIMESTAMPTZ, id UUID, PRIMARY KEY (source, org_id))",
    "CREATE TABLE IF NOT EXISTS pipeline_orgs (org_id UUID PRIMARY KEY, data_as_of TIMESTAMPTZ)",
    "CREATE TABLE IF NOT EXISTS pipeline_runs ("
    "run_id UUID, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ, full_reconcile BOOLEAN, "
    "rows_copied BIGINT)",
)


class WarehouseBusy(RuntimeError):
    """Another pipeline run holds the warehouse lock."""


class WarehouseMissing(FileNotFoundError):
    """No pipeline run has built the warehouse yet."""


def building_path(path: Path) -> Path:
    """Where a run builds the next version of the warehouse."""
    return path.with_name(path.name + ".building")


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the warehouse's run lock, or fail at once if another run holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseBusy(
                f"Another pipeline run is updating {path}; try again when it has finished."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection in UTC, on a file to write or (None) in memory."""
    con = duckdb.connect(str(path) if path is not None else ":memory:")
    con.execute("SET TimeZone = 'UTC'")
    return con


def prepare(con: duckdb.DuckDBPyConnection, sources: tuple[Source, ...] = SOURCES) -> None:
    """Create the raw and bookkeeping tables that do not exist yet."""
    for source in sources:
        con.execute(source.create_sql())
    for ddl in META_DDL:
        con.execute(ddl)


def start_build(path: Path, full: bool) -> Path:
    """A fresh building file: empty for a full reconcile, else a copy of the live file."""
    target = building_path(path)
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if not full and path.exists():
        shutil.copyfile(path, target)
    return target


def publish(building: Path, path: Path) -> None:
    """Make the building file the live warehouse in one atomic rename."""
    with open(building, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(building, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the live warehouse as it is now.

    The file is attached to a fresh in-memory database rather than opened with
    `duckdb.connect(path)`: DuckDB shares one instance per path inside a process, and that
    instance would keep showing the file as it was before the latest swap.
    """
    if not path.exists():
        raise WarehouseMissing(str(path))
    con = connect()
    con.execute("ATTACH $path AS warehouse (READ_ONLY)", {"path": str(path)})
    con.execute("USE warehouse")
    return con


# --- loading batches ------------------------------------------------------------------


def _insert(con: duckdb.DuckDBPyConnection, source: Source, batch: pa.Table) -> None:
    con.register("batch", batch)
    try:
        con.execute(f"INSERT INTO {source.raw_table} BY NAME SELECT * FROM batch")  # noqa: S608 (identifiers from code)
    finally:
        con.unregister("batch")


def append(con: duckdb.DuckDBPyConnection, source: Source, batch: pa.Table) -> None:
    """Add rows that cannot be there yet (an organisation's first copy)."""
    if batch.num_rows:
        _insert(con, source, batch)


def upsert(con: duckdb.DuckDBPyConnection, source: Source, batch: pa.Table) -> None:
    """Replace the rows of `batch` by (org_id, id) and add the new ones."""
    if not batch.num_rows:
        return
    con.register("changed", batch.select(["org_id", "id"]))
    try:
        table = source.raw_table
        where = "r.org_id = c.org_id AND r.id = c.id"
        sql = f"DELETE FROM {table} r USING changed c WHERE {where}"  # noqa: S608 (identifiers)
        con.execute(sql)
    finally:
        con.unregister("changed")
    _insert(con, source, batch)


def replace_children(
    con: duckdb.DuckDBPyConnection, source: Source, parents: pa.Table, batch: pa.Table
) -> None:
    """Replace every child row of the changed `parents` with the rows of `batch`."""
    if parents.num_rows:
        con.register("parents", parents.select(["org_id", "id"]))
        try:
            table, key = source.raw_table, source.parent_key
            where = f"r.org_id = p.org_id AND r.{key} = p.id"
            sql = f"DELETE FROM {table} r USING parents p WHERE {where}"  # noqa: S608 (identifiers)
            con.execute(sql)
        finally:
            con.unregister("parents")
    append(con, source, batch)


def replace_snapshot(
    con: duckdb.DuckDBPyConnection, source: Source, org_id: object, batch: pa.Table
) -> None:
    """Replace all of an organisation's rows of a small source."""
    sql = f"DELETE FROM {source.raw_table} WHERE org_id = $org"  # noqa: S608 (identifiers from code)
    con.execute(sql, {"org": org_id})
    append(con, source, batch)


def delete_organisation(con: duckdb.DuckDBPyConnection, org_id: object) -> None:
    """Forget an organisation that no longer exists in Postgres."""
    tables = [s.raw_table for s in SOURCES] + ["pipeline_watermarks", "pipeline_orgs"]
    for table in tables:
        sql = f"DELETE FROM {table} WHERE org_id = $org"  # noqa: S608 (identifiers from code)
        con.execute(sql, {"org": org_id})


# --- bookkeeping ----------------------------------------------------------------------


def watermarks(con: duckdb.DuckDBPyConnection, org_id: object) -> dict[str, Watermark]:
    """The organisation's watermark per source."""
    rows = con.execute(
        "SELECT source, ts, id FROM pipeline_watermarks WHERE org_id = $org", {"org": org_id}
    ).fetchall()
    return {source: Watermark(ts, mark_id) for source, ts, mark_id in rows}


def save_watermark(
    con: duckdb.DuckDBPyConnection, source: str, org_id: object, mark: Watermark
) -> None:
    """Record how far `source` has been copied for the organisation."""
    con.execute(
        "INSERT OR REPLACE INTO pipeline_watermarks VALUES ($source, $org, $ts, $id)",
        {"source": source, "org": org_id, "ts": mark.ts, "id": mark.id},
    )


def save_org(con: duckdb.DuckDBPyConnection, org_id: object, as_of: object) -> None:
    """Record the snapshot time the organisation's data now reflects."""
    con.execute(
        "INSERT OR REPLACE INTO pipeline_orgs VALUES ($org, $as_of)",
        {"org": org_id, "as_of": as_of},
    )
