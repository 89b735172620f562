"""Tasks the job-queue tests run in a real worker process (`--import tests.job_tasks`)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from scheduling.db import app_engine, tenant_session
from scheduling.jobs import task
from scheduling.models import Tag


def _record(org_id: str, marker: str) -> None:
    with tenant_session(app_engine(), uuid.UUID(org_id)) as s:
        s.add(Tag(org_id=uuid.UUID(org_id), name=marker))


@task(name="tests.record")
def record(org_id: str, marker: str) -> None:
    """Write a tag named `marker`: proof that the job ran, in its tenant."""
    _record(org_id, marker)


@task(name="tests.slow_record")
def slow_record(org_id: str, marker: str, runs_file: str) -> None:
    """On its first run, hang (to be killed); on a later run, record at once."""
    runs = Path(runs_file)
    first_run = not runs.exists()
    with runs.open("a") as f:
        f.write(f"{time.time()}\n")
    if first_run:
        time.sleep(120)
    _record(org_id, marker)


@task(name="tests.always_fail")
def always_fail(runs_file: str) -> None:
    """Fail every time, noting when each attempt ran."""
    with Path(runs_file).open("a") as f:
        f.write(f"{time.time()}\n")
    raise RuntimeError("this job always fails")
