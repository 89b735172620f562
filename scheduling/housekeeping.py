"""The worker's housekeeping: finished jobs are deleted once they are old enough.

Every booking leaves message jobs behind (a confirmation per reader, two reminders), and
procrastinate keeps a finished job and its events until somebody deletes them; without
this the job table, its indexes and every queue scan over them would only grow.
"""

from __future__ import annotations

from typing import Any

from procrastinate.job_context import JobContext

from scheduling.config import get_config
from scheduling.jobs import app, task

RETENTION_TASK = "jobs.remove_finished"
RETENTION_ID = "job-retention"
RETENTION_CRON = "41 * * * *"  # hourly, off the hour


async def remove_finished_jobs(job_manager: Any, hours: int) -> None:
    """Delete the jobs that succeeded or were cancelled (reminders of cancelled bookings)
    more than `hours` ago, with their events, through procrastinate's own query. Failed
    jobs stay for somebody to look at."""
    await job_manager.delete_old_jobs(nb_hours=hours, include_cancelled=True)


async def _remove_finished(context: JobContext, timestamp: int) -> None:
    """Job: the periodic clean-up (`timestamp`: the tick that deferred it)."""
    hours = get_config().job_retention_hours
    if hours:
        await remove_finished_jobs(context.app.job_manager, hours)


remove_finished_job: Any = task(RETENTION_TASK, pass_context=True, queueing_lock=RETENTION_TASK)(
    _remove_finished
)
if get_config().job_retention_hours:  # tests' workers turn it off: their jobs are counted
    app.periodic(cron=RETENTION_CRON, periodic_id=RETENTION_ID)(remove_finished_job)
