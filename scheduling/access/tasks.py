"""The daily audit-retention purge, run by the worker over every organisation."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from scheduling.access.actor import Actor
from scheduling.access.retention import purge_audit_logs
from scheduling.config import Config, get_config
from scheduling.db import app_engine, owner_engine, tenant_session
from scheduling.jobs import app, task
from scheduling.organizations import organisation_ids

logger = logging.getLogger(__name__)

PURGE_TASK = "access.purge_audit_logs"
PERIODIC_ID = "audit-retention"
_DAILY = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* \*$")


def purge_every_organisation(
    directory: Engine, engine: Engine, now: datetime
) -> dict[uuid.UUID, int]:
    """Purge each organisation's audit log in its own transaction; return rows deleted per
    organisation. One organisation's failure does not stop the others; the job still fails
    afterwards, so it is retried (purging is idempotent)."""
    deleted: dict[uuid.UUID, int] = {}
    failed: list[uuid.UUID] = []
    for org_id in organisation_ids(directory):  # the owner's directory; the app role cannot list
        try:
            with tenant_session(engine, org_id) as session:
                deleted[org_id] = purge_audit_logs(
                    session, Actor.system(org_id, "audit retention"), now
                )
        except Exception:
            logger.exception("audit purge failed for organisation %s", org_id)
            failed.append(org_id)
    logger.info("audit purge: %d rows in %d organisations", sum(deleted.values()), len(deleted))
    if failed:
        raise RuntimeError(f"The audit purge failed for {len(failed)} organisation(s).")
    return deleted


def _purge(timestamp: int) -> None:
    """Job: purge every organisation as of `timestamp` (the tick that deferred it)."""
    purge_every_organisation(owner_engine(), app_engine(), datetime.fromtimestamp(timestamp, UTC))


def purge_schedule(config: Config) -> str:
    """When the purge runs, in words: "every day at 03:17 UTC"."""
    if not config.audit_purge_cron:
        return "only when purged by hand (AUDIT_PURGE_CRON is off)"
    daily = _DAILY.match(config.audit_purge_cron)
    if daily:
        return f"every day at {int(daily.group(2)):02d}:{int(daily.group(1)):02d} UTC"
    return f"on the schedule {config.audit_purge_cron} (cron, UTC)"


purge_job: Any = task(PURGE_TASK, queueing_lock=PURGE_TASK)(_purge)
_cron = get_config().audit_purge_cron
if _cron:  # tests' workers turn it off so it never joins the jobs they count
    app.periodic(cron=_cron, periodic_id=PERIODIC_ID)(purge_job)
