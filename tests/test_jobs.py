"""The job queue on real Postgres with real worker processes."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import procrastinate
import psycopg
import pytest
from sqlalchemy import select, text

from scheduling.config import Config, get_config
from scheduling.db import tenant_session
from scheduling.housekeeping import RETENTION_ID, RETENTION_TASK, remove_finished_jobs
from scheduling.jobs import Deferral, app, defer, defer_many, libpq_url
from scheduling.models import Organization, Tag
from tests.conftest import TestDatabase
from tests.workers import Workers, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def org(db: TestDatabase) -> uuid.UUID:
    org_id = uuid.uuid4()
    with tenant_session(db.app_engine, org_id) as s:
        s.add(Organization(id=org_id, name="Jobs", slug="jobs"))
    return org_id


def tags(db: TestDatabase, org: uuid.UUID) -> list[str]:
    with tenant_session(db.app_engine, org) as s:
        return sorted(s.scalars(select(Tag.name)))


def job_rows(db: TestDatabase) -> list[tuple[str, str, int]]:
    with db.owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT task_name, status, attempts FROM procrastinate_jobs ORDER BY id")
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_rolled_back_job_never_runs_committed_job_runs(
    db: TestDatabase, org: uuid.UUID, workers: Workers
) -> None:
    with pytest.raises(RuntimeError, match="abandon"), tenant_session(db.app_engine, org) as s:
        defer(s, "tests.record", org_id=str(org), marker="rolled-back")
        raise RuntimeError("abandon this transaction")
    with tenant_session(db.app_engine, org) as s:
        defer(s, "tests.record", org_id=str(org), marker="committed")
    workers.start()
    wait_for(lambda: tags(db, org) == ["committed"], 30, "the committed job", workers)
    # The task's row commits before the worker records the job as done: wait for both.
    wait_for(lambda: job_rows(db)[0][1] != "doing", 30, "the job's status", workers)
    assert job_rows(db) == [("tests.record", "succeeded", 1)]


def test_job_of_a_killed_worker_is_picked_up_again(
    db: TestDatabase, org: uuid.UUID, workers: Workers, tmp_path: Path
) -> None:
    runs = tmp_path / "runs.txt"
    with tenant_session(db.app_engine, org) as s:
        defer(s, "tests.slow_record", org_id=str(org), marker="survived", runs_file=str(runs))
    first = workers.start()
    wait_for(runs.exists, 30, "the first run to start", workers)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert job_rows(db)[0][1] == "doing"

    workers.start()
    wait_for(lambda: tags(db, org) == ["survived"], 60, "the stalled job to complete", workers)
    wait_for(lambda: job_rows(db)[0][1] != "doing", 30, "the job's status", workers)
    assert len(runs.read_text().split()) == 2
    assert job_rows(db)[0][:2] == ("tests.slow_record", "succeeded")


def test_failing_job_is_retried_with_backoff_then_recorded_failed(
    db: TestDatabase, org: uuid.UUID, workers: Workers, tmp_path: Path
) -> None:
    runs = tmp_path / "runs.txt"
    with tenant_session(db.app_engine, org) as s:
        defer(s, "tests.always_fail", runs_file=str(runs))
    workers.start()
    wait_for(lambda: job_rows(db)[0][1] == "failed", 45, "the job to fail for good", workers)

    times = [float(t) for t in runs.read_text().split()]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 3  # JOB_MAX_ATTEMPTS
    assert gaps[0] >= 1.0 and gaps[1] >= 2.0  # base, then twice the base
    assert job_rows(db) == [("tests.always_fail", "failed", 3)]
    with db.owner_engine.connect() as conn:
        events = (
            conn.execute(text("SELECT type FROM procrastinate_events ORDER BY id")).scalars().all()
        )
    assert events.count("deferred_for_retry") == 2
    assert events[-1] == "failed"


def test_workers_are_woken_once_per_insert_and_only_for_due_jobs(
    db: TestDatabase, org: uuid.UUID
) -> None:
    """Three jobs due now and one scheduled for tomorrow, in one statement: one wake-up per
    channel. A statement of scheduled jobs alone wakes nobody (polling finds them)."""
    later = datetime.now(UTC) + timedelta(days=1)
    with psycopg.connect(libpq_url(db.owner_url), autocommit=True) as listener:
        listener.execute("LISTEN procrastinate_any_queue_v1")
        listener.execute('LISTEN "procrastinate_queue_v1#default"')
        with tenant_session(db.app_engine, org) as s:
            ids = defer_many(
                s,
                [
                    *(
                        Deferral("tests.record", None, {"org_id": str(org), "marker": f"t{n}"})
                        for n in range(3)
                    ),
                    Deferral("tests.record", later, {"org_id": str(org), "marker": "later"}),
                ],
            )
        with tenant_session(db.app_engine, org) as s:
            defer_many(s, [Deferral("tests.record", later, {"org_id": str(org), "marker": "x"})])
        got = sorted(
            (n.channel, json.loads(n.payload)["type"], json.loads(n.payload)["job_id"])
            for n in listener.notifies(timeout=1.0)
        )
    assert got == [
        ("procrastinate_any_queue_v1", "job_inserted", ids[2]),
        ("procrastinate_queue_v1#default", "job_inserted", ids[2]),
    ]


def test_finished_jobs_past_retention_are_deleted_failed_and_waiting_ones_kept(
    db: TestDatabase, org: uuid.UUID
) -> None:
    markers = ("old-done", "new-done", "old-cancelled", "old-failed", "old-waiting")
    with tenant_session(db.app_engine, org) as s:
        ids = defer_many(
            s, [Deferral("tests.record", None, {"org_id": str(org), "marker": m}) for m in markers]
        )
    by_marker = dict(zip(markers, ids, strict=True))
    with db.owner_engine.begin() as conn:
        for marker, status in [
            ("old-done", "succeeded"),
            ("new-done", "succeeded"),
            ("old-cancelled", "cancelled"),
            ("old-failed", "failed"),
        ]:
            conn.execute(
                text(
                    "UPDATE procrastinate_jobs SET status = CAST(:s AS procrastinate_job_status) "
                    "WHERE id = :id"
                ),
                {"s": status, "id": by_marker[marker]},
            )
        # Everything but `new-done` finished (or was queued) eight days ago.
        conn.execute(
            text(
                "UPDATE procrastinate_events SET at = now() - interval '8 days' "
                "WHERE job_id <> :new"
            ),
            {"new": by_marker["new-done"]},
        )

    async def clean_up() -> None:
        connector = procrastinate.PsycopgConnector(conninfo=libpq_url(db.owner_url))
        with app.replace_connector(connector) as live:
            async with live.open_async():
                await remove_finished_jobs(live.job_manager, hours=168)

    # In a thread of its own: browser tests may leave an event loop on this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, clean_up()).result()
    with db.owner_engine.connect() as conn:
        left = conn.execute(
            text("SELECT args->>'marker', status FROM procrastinate_jobs ORDER BY id")
        ).all()
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM procrastinate_events e WHERE NOT EXISTS "
                "(SELECT 1 FROM procrastinate_jobs j WHERE j.id = e.job_id)"
            )
        ).scalar()
    assert [tuple(r) for r in left] == [
        ("new-done", "succeeded"),
        ("old-failed", "failed"),
        ("old-waiting", "todo"),
    ]
    assert orphans == 0


def test_the_clean_up_is_an_hourly_periodic_job_unless_turned_off() -> None:
    periodic = app.periodic_registry.periodic_tasks[(RETENTION_TASK, RETENTION_ID)]
    assert periodic.cron == "41 * * * *"
    assert get_config().job_retention_hours == 168
    assert Config.from_env({"JOB_RETENTION_HOURS": "off"}).job_retention_hours is None
    assert Config.from_env({"JOB_RETENTION_HOURS": "24"}).job_retention_hours == 24
