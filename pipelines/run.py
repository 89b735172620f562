"""The pipeline's wiring, in one place: Postgres -> Arrow -> DuckDB -> models -> topics.

`run_pipeline` copies every source of every organisation (incrementally from its
watermarks, or everything on a full reconcile), rebuilds the SQL models, re-clusters the
questions of organisations whose answers changed, and swaps the new warehouse in. The
command line, the worker and the benchmark all call it; `pipeline_resources` resolves its
inputs from the settings.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines import warehouse as wh
from pipelines.clustering import Labeller
from pipelines.extract import PostgresReader, TenantSnapshot
from pipelines.models import Model, load_models, run_models
from pipelines.sources import SOURCES, Source
from pipelines.topics import (
    ClusterRow,
    cluster_organisation,
    reuse_previous_clusters,
    save_to_postgres,
)
from pipelines.watermarks import DEFAULT_OVERLAP, Watermark, extract_window, next_watermark
from scheduling.db.engine import make_engine
from scheduling.organizations import organisation_ids

ABANDON_MINUTES = 30
RECONCILE_EVERY = timedelta(hours=24)

Progress = Callable[[str, int, int], None]
"""Told (step just finished, steps done, steps in all) as the run goes."""


@dataclass(frozen=True, slots=True)
class Resources:
    """What a run reads and writes: the warehouse file and the two database roles."""

    warehouse_path: Path
    app_url: str
    owner_url: str


@dataclass
class RunResult:
    """What a run did."""

    run_id: uuid.UUID
    full: bool
    path: Path
    organisations: int
    rows: dict[str, int] = field(default_factory=dict)
    clustered: list[uuid.UUID] = field(default_factory=list)
    seconds: float = 0.0
    data_as_of: datetime | None = None
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rows_copied(self) -> int:
        """Rows read from Postgres in all."""
        return sum(self.rows.values())

    def summary(self) -> str:
        """One line for the command line."""
        kind = "full reconcile" if self.full else "incremental load"
        return (
            f"{kind}: {self.rows_copied:,} rows from {self.organisations} organisation(s), "
            f"{len(self.clustered)} re-clustered, {self.seconds:.1f} s -> {self.path}"
        )


def pipeline_resources() -> Resources:
    """The warehouse path and database URLs from the settings."""
    from scheduling.config import get_config
    from scheduling.db.engine import database_urls

    urls = database_urls()
    return Resources(get_config().warehouse_path, urls.app, urls.owner)


class _Ticker:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def __call__(self, step: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(step, self.done, self.total)


def _needs_full(path: Path, now: datetime) -> bool:
    """A full reconcile is due: no warehouse yet, or the last one is a day old."""
    if not path.exists():
        return True
    con = wh.open_readonly(path)
    try:
        ((last,),) = con.execute(
            "SELECT max(finished_at) FROM pipeline_runs WHERE full_reconcile"
        ).fetchall()
    except duckdb.Error:
        return True
    finally:
        con.close()
    return last is None or now - last >= RECONCILE_EVERY


def load_organisation(
    con: duckdb.DuckDBPyConnection,
    snapshot: TenantSnapshot,
    overlap: timedelta,
    tick: Callable[[str], None],
    rows: dict[str, int],
) -> bool:
    """Copy one organisation's changes into the warehouse; True when its answers changed."""
    org = snapshot.org_id
    marks = wh.watermarks(con, org)
    fresh = not marks and con.execute(
        "SELECT count(*) FROM pipeline_orgs WHERE org_id = $org", {"org": org}
    ).fetchall() == [(0,)]
    answers_changed = fresh
    parents: dict[str, object] = {}
    for source in SOURCES:
        window = None if fresh else _window(source, marks, overlap)
        batch = snapshot.fetch(source, window)
        rows[source.name] = rows.get(source.name, 0) + batch.num_rows
        _store(con, source, snapshot, batch, window, parents, fresh)
        if source.strategy == "incremental":
            parents[source.name] = batch
            mark = next_watermark(marks.get(source.name), batch, source.cursor or "")
            if mark is not None:
                wh.save_watermark(con, source.name, org, mark)
            if source.name in ("answers", "questions") and mark != marks.get(source.name):
                answers_changed = True
        tick(f"{source.name}")
    wh.save_org(con, org, snapshot.as_of)
    return answers_changed


def _window(source: Source, marks: dict[str, Watermark], overlap: timedelta) -> Watermark | None:
    key = source.parent if source.strategy == "child" else source.name
    mark = marks.get(key or "")
    return extract_window(mark, overlap) if mark is not None else None


def _store(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    snapshot: TenantSnapshot,
    batch: object,
    window: Watermark | None,
    parents: dict[str, object],
    fresh: bool,
) -> None:
    if fresh:
        wh.append(con, source, batch)  # type: ignore[arg-type]
    elif source.strategy == "snapshot":
        wh.replace_snapshot(con, source, snapshot.org_id, batch)  # type: ignore[arg-type]
    elif source.strategy == "child":
        parent_rows = parents[source.parent or ""]
        if window is None:  # the parent was copied whole: so are its children
            wh.replace_snapshot(con, source, snapshot.org_id, batch)  # type: ignore[arg-type]
        else:
            wh.replace_children(con, source, parent_rows, batch)  # type: ignore[arg-type]
    elif window is None:
        wh.replace_snapshot(con, source, snapshot.org_id, batch)  # type: ignore[arg-type]
    else:
        wh.upsert(con, source, batch)  # type: ignore[arg-type]


def run_pipeline(
    resources: Resources,
    *,
    full: bool = False,
    now: datetime | None = None,
    overlap: timedelta = DEFAULT_OVERLAP,
    progress: Progress | None = None,
    labeller: Labeller | None = None,
) -> RunResult:
    """Bring the warehouse up to date with Postgres and publish it atomically."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    path = resources.warehouse_path
    with wh.run_lock(path):
        full = full or _needs_full(path, now)
        owner = make_engine(resources.owner_url)
        try:
            orgs = organisation_ids(owner)
        finally:
            owner.dispose()
        models = load_models()
        result = RunResult(uuid.uuid4(), full, path, len(orgs))
        tick = _Ticker(len(orgs) * (len(SOURCES) + 1) + len(models) + 1, progress)
        copied = time.monotonic()
        building = wh.start_build(path, full)
        result.phases["copy_file"] = time.monotonic() - copied
        try:
            changed = _build(
                building, resources, orgs, models, overlap, tick, result, now, labeller
            )
            wh.publish(building, path)
        except BaseException:
            building.unlink(missing_ok=True)
            raise
        _publish_clusters(resources, result, changed, now)
        tick("published")
    result.seconds = time.monotonic() - started
    return result


def _build(
    building: Path,
    resources: Resources,
    orgs: list[uuid.UUID],
    models: list[Model],
    overlap: timedelta,
    tick: _Ticker,
    result: RunResult,
    now: datetime,
    labeller: Labeller | None,
) -> dict[uuid.UUID, list[ClusterRow]]:
    con = wh.connect(building)
    try:
        wh.prepare(con)
        _forget_deleted(con, orgs)
        changed: set[uuid.UUID] = set()
        as_of: list[datetime] = []
        started = time.monotonic()
        with PostgresReader(resources.app_url) as reader:
            for org in orgs:
                with reader.tenant(org) as snapshot:
                    con.execute("BEGIN")
                    if load_organisation(con, snapshot, overlap, tick, result.rows):
                        changed.add(org)
                    con.execute("COMMIT")
                    as_of.append(snapshot.as_of)
        result.phases["copy"] = time.monotonic() - started
        result.data_as_of = min(as_of) if as_of else now
        params = {"as_of": max(as_of) if as_of else now, "abandon_minutes": ABANDON_MINUTES}
        started = time.monotonic()
        run_models(con, params, models, on_model=lambda m: tick(f"model {m.name}"))
        result.phases["models"] = time.monotonic() - started
        started = time.monotonic()
        if result.full and resources.warehouse_path.exists():
            changed -= reuse_previous_clusters(con, resources.warehouse_path, changed)
        clusters = {}
        for org in sorted(changed):
            clusters[org] = cluster_organisation(con, org, result.run_id, now, labeller)
            tick(f"topics {org}")
        for org in set(orgs) - changed:
            tick(f"topics {org} (unchanged)")
        result.phases["topics"] = time.monotonic() - started
        result.clustered = sorted(changed)
        con.execute(
            "INSERT INTO pipeline_runs VALUES ($run, $started, $finished, $full, $rows)",
            {
                "run": result.run_id,
                "started": now,
                "finished": datetime.now(UTC),
                "full": result.full,
                "rows": result.rows_copied,
            },
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return clusters


def _forget_deleted(con: duckdb.DuckDBPyConnection, orgs: list[uuid.UUID]) -> None:
    known = {row[0] for row in con.execute("SELECT org_id FROM pipeline_orgs").fetchall()}
    for org in known - set(orgs):
        wh.delete_organisation(con, org)


def _publish_clusters(
    resources: Resources,
    result: RunResult,
    clusters: dict[uuid.UUID, list[ClusterRow]],
    now: datetime,
) -> None:
    if not clusters:
        return
    engine = make_engine(resources.app_url)
    try:
        for org, rows in clusters.items():
            save_to_postgres(engine, org, result.run_id, now, rows)
    finally:
        engine.dispose()
