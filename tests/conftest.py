"""Shared fixtures: a real Postgres database, migrated once per run, emptied after each test.

The server is the embedded one (under VAR_DIR/test-pg) unless TEST_DATABASE_URL names one.
Each run creates its own database and drops it at the end, so runs never share state.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from scheduling.config import Config
from scheduling.db.embedded import start_embedded
from scheduling.db.engine import app_url_for, make_engine, normalise_url
from scheduling.db.migrate import upgrade
from scheduling.jobs import libpq_url

if TYPE_CHECKING:
    from tests.workers import Workers

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class TestDatabase:
    """One migrated database with engines for the schema owner and the application role."""

    __test__ = False

    name: str
    owner_url: str
    app_url: str
    owner_engine: Engine
    app_engine: Engine

    def env(self) -> dict[str, str]:
        """Environment for a child process that should use this database."""
        return {"DATABASE_URL": self.owner_url, "APP_DATABASE_URL": self.app_url}

    def truncate_all(self) -> None:
        """Empty every table except the migration marker, as the owner."""
        with self.owner_engine.begin() as conn:
            tables = conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            ).scalars()
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _server_admin_url() -> str:
    configured = Config.from_env().test_database_url
    if configured:
        return normalise_url(configured)
    return start_embedded(Config.from_env().var_dir / "test-pg", database="postgres")


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(libpq_url(url), autocommit=True)


@pytest.fixture(scope="session")
def database() -> Iterator[TestDatabase]:
    """The run's database, created empty and migrated to head."""
    admin_url = _server_admin_url()
    name = f"liveschool_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _admin(admin_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    owner_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    owner = make_engine(owner_url)
    upgrade(owner)
    app_url = app_url_for(owner_url)
    db = TestDatabase(name, owner_url, app_url, owner, make_engine(app_url))
    yield db
    db.app_engine.dispose()
    db.owner_engine.dispose()
    with _admin(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def db(database: TestDatabase) -> Iterator[TestDatabase]:
    """The run's database, emptied after the test."""
    yield database
    database.truncate_all()


@pytest.fixture
def empty_database() -> Iterator[str]:
    """An owner URL of a brand-new database with no schema, dropped after the test."""
    admin_url = _server_admin_url()
    name = f"liveschool_empty_{uuid.uuid4().hex[:10]}"
    with _admin(admin_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with _admin(admin_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def workers(db: TestDatabase, tmp_path: Path) -> Iterator[Workers]:
    """Real worker processes on the test database, killed after the test."""
    from tests.workers import Workers  # it imports this module

    pool = Workers(db, tmp_path)
    yield pool
    pool.kill_all()
