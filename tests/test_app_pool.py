"""The booking app's pool keeps a connection per server thread."""

from __future__ import annotations

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
