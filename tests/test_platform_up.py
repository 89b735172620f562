"""`liveschool up` on the embedded default: everything starts, answers, and stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nothing_listens(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def read_until(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """Collect the process's output until `marker` appears."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"no {marker!r} within {timeout}s; output:\n{''.join(seen)}")


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_up_serves_web_console_and_worker_then_stops_cleanly(tmp_path: Path) -> None:
    web_port, console_port = free_port(), free_port()
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "APP_DATABASE_URL": "",
        "WEB_PORT": str(web_port),
        "CONSOLE_PORT": str(console_port),
        "WEB_WORKERS": "1",
        "PIPELINE_INTERVAL_MINUTES": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "scheduling.cli", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output = read_until(proc, "Press Ctrl-C to stop.", timeout=240)
        assert "migrated from empty to" in output
        assert "Demo organisation loaded" in output
        assert f"http://127.0.0.1:{web_port}/" in output
        assert f"http://127.0.0.1:{console_port}/" in output
        worker_pid = int(re.search(r"worker\s+running \(pid (\d+)\)", output).group(1))

        status, body = get(f"http://127.0.0.1:{web_port}/healthz")
        assert status == 200
        health = json.loads(body)
        assert health["status"] == "ok"
        assert health["database"]["connected"] is True
        assert get(f"http://127.0.0.1:{console_port}/_stcore/health")[0] == 200
        os.kill(worker_pid, 0)  # alive

        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        rest, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, rest
        assert rest.rstrip().endswith("Stopped.")
        assert nothing_listens(web_port) and nothing_listens(console_port)
        with pytest.raises(ProcessLookupError):
            os.kill(worker_pid, 0)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
