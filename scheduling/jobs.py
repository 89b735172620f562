"""The background-job app (procrastinate on Postgres) and its task registry.

Services defer jobs with `defer()` on their own SQLAlchemy session, so a job exists only if
the transaction that asked for it commits. `run_worker()` runs the queue: failed jobs are
retried with doubling backoff up to JOB_MAX_ATTEMPTS and then kept as `failed`; jobs of a
worker that died (no heartbeat for WORKER_STALLED_SECONDS) are put back in the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
import psycopg
from procrastinate import exceptions as pexc
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from scheduling.config import Config, get_config
from scheduling.db.tenant import driver_connection

logger = logging.getLogger(__name__)

# Modules whose import registers tasks on `app`; later issues append theirs.
TASK_MODULES: tuple[str, ...] = (
    "scheduling.housekeeping",
    "scheduling.notify.tasks",
    "scheduling.access.tasks",
    "pipelines.tasks",
)


class DoublingBackoff(BaseRetryStrategy):
    """Retry after base, 2x base, 4x base ... seconds until `max_attempts` runs in all."""

    def __init__(self, max_attempts: int, base_seconds: int) -> None:
        self.max_attempts = max_attempts
        self.base_seconds = base_seconds

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        """Retry unless this run was the last allowed one."""
        runs_so_far = job.attempts + 1
        if runs_so_far >= self.max_attempts:
            logger.error(
                "job %s (%s) failed for good after %d attempts: %r",
                job.id,
                job.task_name,
                runs_so_far,
                exception,
            )
            return None
        return RetryDecision(retry_in={"seconds": self.base_seconds * 2 ** (runs_so_far - 1)})


def retry_policy(config: Config | None = None) -> DoublingBackoff:
    """The retry policy every task uses, from the settings."""
    cfg = config or get_config()
    return DoublingBackoff(cfg.job_max_attempts, cfg.job_retry_base_seconds)


# The connector is replaced with a real one when the worker starts; deferring inside a
# transaction uses the caller's connection and never opens this placeholder's pool.
app = procrastinate.App(connector=procrastinate.PsycopgConnector())


def task(name: str, **options: Any) -> Any:
    """Register a task under a stable name with the platform's retry policy."""
    return app.task(name=name, retry=options.pop("retry", retry_policy()), **options)


@dataclass(frozen=True, slots=True)
class Deferral:
    """One job to queue: its task, when it may run (None: now) and its arguments."""

    task_name: str
    run_at: datetime | None
    kwargs: dict[str, Any]


def defer(
    session: Session, task_name: str, *, run_at: datetime | None = None, **kwargs: Any
) -> int:
    """Queue `task_name` inside `session`'s transaction: it runs only if that commits."""
    return defer_many(session, [Deferral(task_name, run_at, kwargs)])[0]


# procrastinate's own insert (procrastinate_defer_jobs_v1, the versioned function its defer
# path calls; the version is pinned in pyproject.toml), with the jobs sent as one JSON
# document and turned into its composite type in SQL: psycopg's text dumping of an array of
# composites cost more Python than all the other writes of a booking together.
DEFER_SQL = """
    SELECT unnest(procrastinate_defer_jobs_v1(ARRAY(
        SELECT ROW(j.queue_name, j.task_name, j.priority, j.lock, j.queueing_lock, j.args,
                   j.scheduled_at)::procrastinate_job_to_defer_v1
        FROM ROWS FROM (jsonb_to_recordset(CAST(%(jobs)s AS jsonb)) AS (
                 queue_name varchar, task_name varchar, priority integer, lock text,
                 queueing_lock text, args jsonb, scheduled_at timestamptz))
             WITH ORDINALITY AS j(queue_name, task_name, priority, lock, queueing_lock, args,
                                  scheduled_at, n)
        ORDER BY j.n
    ))) AS id
"""
QUEUEING_LOCK_INDEX = "procrastinate_jobs_queueing_lock_idx_v1"


def defer_many(session: Session, deferrals: Sequence[Deferral]) -> list[int]:
    """Queue several jobs in one statement inside `session`'s transaction; their ids.

    procrastinate builds each job (queue, priority, locks, schedule), so task options
    apply as with its own defer; a queueing lock already held raises AlreadyEnqueued."""
    if not deferrals:
        return []
    rows = _job_rows(deferrals)
    try:
        ids = driver_connection(session).execute(DEFER_SQL, {"jobs": json.dumps(rows)}).fetchall()
    except psycopg.errors.UniqueViolation as exc:
        if exc.diag.constraint_name == QUEUEING_LOCK_INDEX:
            raise pexc.AlreadyEnqueued(
                "Job cannot be enqueued: there is already a job in the queue with the "
                f"queueing lock {rows[0]['queueing_lock']}"
            ) from exc
        raise
    return [int(row[0]) for row in ids]


def _job_rows(deferrals: Sequence[Deferral]) -> list[dict[str, Any]]:
    """Each job as procrastinate builds it (queue, priority, locks, schedule), as a row."""
    jobs = [
        app.configure_task(name=d.task_name, schedule_at=d.run_at).make_new_job(**d.kwargs)
        for d in deferrals
    ]
    return [
        {
            "queue_name": job.queue,
            "task_name": job.task_name,
            "priority": job.priority,
            "lock": job.lock,
            "queueing_lock": job.queueing_lock,
            "args": job.task_kwargs,
            "scheduled_at": job.scheduled_at.isoformat() if job.scheduled_at else None,
        }
        for job in jobs
    ]


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL as libpq understands it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def retry_stalled_jobs(job_manager: Any, stalled_seconds: float) -> int:
    """Put the jobs of dead workers back in the queue; return how many."""
    count = 0
    for job in await job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_seconds):
        with contextlib.suppress(pexc.ConnectorException):  # already retried by a peer
            await job_manager.retry_job(job)
            count += 1
            logger.warning("job %s (%s) was stalled; queued again", job.id, job.task_name)
    return count


async def _sweep_forever(job_manager: Any, stalled_seconds: float) -> None:
    while True:
        try:
            await retry_stalled_jobs(job_manager, stalled_seconds)
        except Exception:  # the sweep must outlive a passing database error
            logger.exception("stalled-job sweep failed; trying again")
        await asyncio.sleep(max(stalled_seconds / 2, 1.0))


def import_task_modules(extra: Iterable[str] = ()) -> None:
    """Import every module that registers tasks."""
    for module in (*TASK_MODULES, *extra):
        importlib.import_module(module)


async def _run(conninfo: str, config: Config, queues: list[str] | None) -> None:
    connector = procrastinate.PsycopgConnector(conninfo=conninfo)
    with app.replace_connector(connector) as live:
        async with live.open_async():
            sweeper = asyncio.create_task(
                _sweep_forever(live.job_manager, config.worker_stalled_seconds)
            )
            # Imported here: the relay's handlers queue jobs through this module.
            from scheduling.db import app_engine, owner_engine
            from scheduling.outbox import relay_forever

            relay = asyncio.create_task(
                relay_forever(owner_engine(), app_engine(), config.outbox_poll_seconds)
            )
            try:
                await live.run_worker_async(
                    # None = every queue; Worker accepts it, WorkerOptions' type says otherwise
                    queues=queues,  # type: ignore[arg-type]
                    concurrency=config.worker_concurrency,
                    update_heartbeat_interval=config.worker_heartbeat_seconds,
                    stalled_worker_timeout=config.worker_stalled_seconds,
                    install_signal_handlers=True,
                )
            finally:
                sweeper.cancel()
                relay.cancel()


def run_worker(
    database_url: str,
    *,
    config: Config | None = None,
    extra_modules: Iterable[str] = (),
    queues: list[str] | None = None,
) -> None:
    """Run a worker until SIGINT or SIGTERM; running jobs finish first."""
    import_task_modules(extra_modules)
    asyncio.run(_run(libpq_url(database_url), config or get_config(), queues))
