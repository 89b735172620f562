"""Real worker processes for tests, and a polling wait."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT, TestDatabase

WORKER_ENV = {
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_STALLED_SECONDS": "3",
    "JOB_MAX_ATTEMPTS": "3",
    "JOB_RETRY_BASE_SECONDS": "1",
    "LOG_LEVEL": "WARNING",
    "PIPELINE_INTERVAL_MINUTES": "0",  # no scheduled warehouse builds among the test's jobs
    "AUDIT_PURGE_CRON": "off",  # nor a nightly audit purge
    "JOB_RETENTION_HOURS": "off",  # nor an hourly clean-up of finished jobs
}


def wait_for(
    predicate: Callable[[], bool], timeout: float, what: str, workers: Workers | None = None
) -> None:
    """Poll until `predicate` holds; on timeout, fail with the workers' logs."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            logs = workers.logs() if workers else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{logs}")
        time.sleep(0.2)


class Workers:
    """Starts worker processes on the test database and kills them at the end."""

    def __init__(self, db: TestDatabase, log_dir: Path) -> None:
        self.db, self.log_dir, self.procs = db, log_dir, []

    def start(self, **env_overrides: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, **self.db.env(), **WORKER_ENV, **env_overrides}
        log = (self.log_dir / f"worker{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "scheduling.cli", "worker", "--import", "tests.job_tasks"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        """Everything the workers printed, for failure messages."""
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}"
            for p in sorted(self.log_dir.glob("worker*.log"))
        )

    def kill_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
