"""The demo organisation in its own database, with a warehouse built from it, once per run.

Pipeline and notebook tests share it through the session-scoped `demo_warehouse` fixture
(each folder's conftest imports it; the first to ask builds it). It lives in a database of
its own because the shared test database is emptied after every test that uses `db`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from psycopg import sql
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from pipelines.run import Resources, RunResult, run_pipeline
from scheduling.db.engine import app_url_for, make_engine
from scheduling.db.migrate import upgrade
from scheduling.demo import seed_demo
from tests.conftest import _admin, _server_admin_url

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, tzinfo=UTC)


@dataclass
class DemoWarehouse:
    """The seeded demo database and the warehouse the pipeline built from it."""

    name: str
    owner_url: str
    app_url: str
    app_engine: Engine
    owner_engine: Engine
    path: Path
    result: RunResult

    @property
    def resources(self) -> Resources:
        return Resources(self.path, self.app_url, self.owner_url)

    def env(self) -> dict[str, str]:
        """Settings for a child process that should use this database and warehouse."""
        return {
            "DATABASE_URL": self.owner_url,
            "APP_DATABASE_URL": self.app_url,
            "WAREHOUSE_PATH": str(self.path),
        }


_built: dict[str, DemoWarehouse] = {}


def _build(folder: Path) -> DemoWarehouse:
    admin_url = _server_admin_url()
    name = f"liveschool_demo_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _admin(admin_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    owner_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    owner = make_engine(owner_url)
    upgrade(owner)
    app_url = app_url_for(owner_url)
    app = make_engine(app_url)
    seed_demo(app, TODAY)
    with owner.begin() as conn:
        conn.execute(text("ANALYZE"))
    path = folder / "warehouse.duckdb"
    result = run_pipeline(Resources(path, app_url, owner_url), now=NOW)
    return DemoWarehouse(name, owner_url, app_url, app, owner, path, result)


def _drop(demo: DemoWarehouse) -> None:
    demo.app_engine.dispose()
    demo.owner_engine.dispose()
    with _admin(_server_admin_url()) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(demo.name))
        )


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWarehouse]:
    """The demo seeded once per run, with its warehouse; dropped at the end."""
    first = "demo" not in _built
    if first:
        _built["demo"] = _build(tmp_path_factory.mktemp("demo-warehouse"))
    yield _built["demo"]
    if first:
        _drop(_built.pop("demo"))
