"""Pooled connections: pinged on checkout only after sitting idle."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from scheduling.db.engine import make_engine, ping_idle_connections
from tests.conftest import TestDatabase


def _kill_the_pooled_connection(db: TestDatabase, engine: Engine) -> int:
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.owner_engine.connect() as owner:
        assert owner.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    return int(pid)


def _pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_an_idle_connection_that_died_is_replaced_on_checkout(db: TestDatabase) -> None:
    engine = make_engine(db.app_url, pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_seconds=0)  # every checkout counts as after idling
    killed = _kill_the_pooled_connection(db, engine)
    assert _pid(engine) != killed


def test_a_connection_in_steady_use_is_not_pinged(db: TestDatabase) -> None:
    engine = make_engine(db.app_url, pool_size=1, max_overflow=0)
    _kill_the_pooled_connection(db, engine)
    # Used a moment ago, it is handed out unchecked: the dead connection fails the request,
    # and the pool replaces it for the next one.
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert _pid(engine) > 0
