"""Starts the platform's processes (web, console, worker), waits until they answer, stops them.

Children run in their own sessions so a Ctrl-C reaches only the supervisor, which then stops
them in order: SIGTERM, a grace period, SIGKILL for any that hang.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

GRACE_SECONDS = 15.0
READY_TIMEOUT_SECONDS = 90.0


class ServiceError(RuntimeError):
    """A service could not start; the message says which and why."""


@dataclass
class Service:
    """One child process: its command line, where it answers, and how to tell it is ready."""

    name: str
    argv: list[str]
    url: str | None = None
    ready: Callable[[], bool] = field(default=lambda: True)
    process: subprocess.Popen[bytes] | None = None


def assert_port_free(host: str, port: int, setting: str) -> None:
    """Fail with one sentence when another program already listens on `port`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServiceError(
                    f"Port {port} on {host} is already in use; stop the program using it "
                    f"or set {setting} to a free port."
                ) from None
            raise ServiceError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None


def http_ok(url: str) -> Callable[[], bool]:
    """A readiness check that passes when `url` answers 200."""

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    return check


def gunicorn_argv(app_spec: str, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The production server's command line for `app_spec`: gunicorn with threaded workers
    (gthread), so a worker waiting on the database serves other requests meanwhile.
    `bench/load.py` serves its bare apps the same way."""
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--graceful-timeout", "10",
        app_spec,
    ]  # fmt: skip


def web_service(host: str, port: int, workers: int, threads: int) -> Service:
    """The booking app under gunicorn, a production WSGI server, logging each request."""
    argv = gunicorn_argv("booking_app.wsgi:app", host, port, workers, threads)
    argv[-1:-1] = ["--access-logfile", "-"]
    base = f"http://{host}:{port}"
    return Service("booking app", argv, url=f"{base}/", ready=http_ok(f"{base}/healthz"))


def console_service(host: str, port: int) -> Service:
    """The Streamlit admin console."""
    # Located by name, not imported: the domain core never imports a face.
    spec = importlib.util.find_spec("admin_streamlit")
    assert spec is not None and spec.origin is not None
    home = Path(spec.origin).with_name("Home.py")
    argv = [
        sys.executable, "-m", "streamlit", "run", str(home),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    base = f"http://{host}:{port}"
    return Service("console", argv, url=f"{base}/", ready=http_ok(f"{base}/_stcore/health"))


def worker_service() -> Service:
    """A background-job worker."""
    return Service("worker", [sys.executable, "-m", "scheduling.cli", "worker"])


class Supervisor:
    """Runs services until Ctrl-C, SIGTERM, or one of them exits."""

    def __init__(self, services: Sequence[Service], env: Mapping[str, str]) -> None:
        self.services = list(services)
        self.env = dict(env)
        self._stopping = False

    def start(self) -> None:
        """Start every service and wait until each is ready."""
        for service in self.services:
            service.process = subprocess.Popen(service.argv, env=self.env, start_new_session=True)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = list(self.services)
        while pending:
            self._raise_if_exited()
            pending = [s for s in pending if not s.ready()]
            if pending and time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                raise ServiceError(f"Timed out waiting for {names} to start.")
            time.sleep(0.3)

    def _raise_if_exited(self) -> None:
        for service in self.services:
            assert service.process is not None
            code = service.process.poll()
            if code is not None:
                raise ServiceError(f"The {service.name} stopped unexpectedly (exit code {code}).")

    def wait(self) -> int:
        """Block until a signal or a service exit; return the exit code for the CLI."""
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            while not self._stopping:
                try:
                    self._raise_if_exited()
                except ServiceError as exc:
                    print(f"{exc} Stopping the rest.", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        self._stopping = True

    def stop(self) -> None:
        """SIGTERM every running service, then SIGKILL those still alive after the grace."""
        running = [s.process for s in self.services if s.process and s.process.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
