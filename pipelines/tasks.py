"""Pipeline runs as background jobs: on request (the console's refresh) and on a schedule.

Both tasks share one queueing lock, so at most one run waits in the queue, and one lock,
so the worker never runs two at once; the warehouse's own file lock also keeps a run from
the command line from overlapping either. PIPELINE_INTERVAL_MINUTES sets the schedule
(0: none). Heavy imports wait until a job runs, so workers start fast.
"""

from __future__ import annotations

import logging
from typing import Any

from scheduling.config import get_config
from scheduling.jobs import app, task

logger = logging.getLogger(__name__)

RUN_TASK = "pipelines.run"
SCHEDULED_TASK = "pipelines.scheduled_run"
LOCK = "pipelines.warehouse"


def cron_for(minutes: int) -> str:
    """A cron expression that fires every `minutes` minutes (within the hour or the day)."""
    if minutes <= 0:
        raise ValueError("PIPELINE_INTERVAL_MINUTES must be positive to schedule runs.")
    if minutes < 60:
        return f"*/{minutes} * * * *"
    if minutes % 60 == 0 and minutes < 24 * 60:
        return f"0 */{minutes // 60} * * *"
    if minutes == 24 * 60:
        return "0 0 * * *"
    raise ValueError(
        "PIPELINE_INTERVAL_MINUTES must be under 60, a whole number of hours, or 1440."
    )


def refresh_warehouse(full: bool = False) -> str:
    """Run the pipeline with the configured warehouse and databases; return its summary."""
    from pipelines.run import pipeline_resources, run_pipeline
    from pipelines.warehouse import WarehouseBusy

    try:
        result = run_pipeline(pipeline_resources(), full=full)
    except WarehouseBusy as exc:  # a run from the command line holds the warehouse
        logger.info("pipeline run skipped: %s", exc)
        return str(exc)
    logger.info("pipeline %s", result.summary())
    return result.summary()


@task(RUN_TASK, lock=LOCK, queueing_lock=LOCK)
def run_pipeline_job(full: bool = False) -> None:
    """Refresh the warehouse now (queued by the console's refresh button)."""
    refresh_warehouse(full)


def _scheduled(timestamp: int) -> None:
    """Refresh the warehouse on the schedule; `timestamp` is the tick that deferred it."""
    refresh_warehouse()


_interval = get_config().pipeline_interval_minutes
if _interval > 0:
    scheduled_run: Any = app.periodic(cron=cron_for(_interval), periodic_id="warehouse")(
        task(SCHEDULED_TASK, lock=LOCK, queueing_lock=LOCK)(_scheduled)
    )
