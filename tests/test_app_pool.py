"""The booking app as served: a pool connection per server thread, startup objects frozen."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from contextlib import ExitStack

from booking_app import POOL_OVERFLOW, create_app
from tests.conftest import TestDatabase


def test_the_pool_keeps_a_connection_for_every_thread(db: TestDatabase) -> None:
    """Every thread busy at once, then idle: the pool keeps every connection it opened, so
    the next burst opens no server session (a smaller pool closed the extra ones)."""
    app = create_app({"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t", "WEB_THREADS": 24})
    engine = app.extensions["liveschool.engine"]
    try:
        with ExitStack() as held:
            pids = {
                held.enter_context(engine.connect()).connection.driver_connection.info.backend_pid
                for _ in range(24)
            }
        assert len(pids) == 24
        assert engine.pool.checkedin() == 24
        with ExitStack() as held:
            again = {
                held.enter_context(engine.connect()).connection.driver_connection.info.backend_pid
                for _ in range(24)
            }
        assert again == pids
        assert engine.pool._max_overflow == POOL_OVERFLOW  # requests outside the threads
    finally:
        engine.dispose()


def test_a_small_thread_count_keeps_the_default_ten(db: TestDatabase) -> None:
    app = create_app({"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t", "WEB_THREADS": 2})
    engine = app.extensions["liveschool.engine"]
    assert engine.pool.size() == 10
    engine.dispose()


def test_the_served_app_freezes_its_startup_objects(db: TestDatabase) -> None:
    """The module gunicorn loads builds the app, then moves what startup made out of the
    collector's way; tests' `create_app` freezes nothing."""
    probe = (
        "import gc; before = gc.get_freeze_count(); import booking_app.wsgi as w; "
        "print(before, gc.get_freeze_count(), type(w.app).__name__)"
    )
    env = {**os.environ, "APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "0"
    assert int(out[1]) > 10_000  # the modules, models and templates startup made
    assert out[2] == "Flask"
    create_app({"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "t"}).extensions[
        "liveschool.engine"
    ].dispose()
    assert gc.get_freeze_count() == 0
