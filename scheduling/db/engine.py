"""Engines for the two database roles: the schema owner (migrations) and the application."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from scheduling.config import APP_ROLE, Config, get_config
from scheduling.db.embedded import start_embedded


class DatabaseError(RuntimeError):
    """The database cannot be used; the message is one sentence a person can act on."""


@dataclass(frozen=True, slots=True)
class DatabaseUrls:
    """Where to connect: `owner` runs migrations, `app` serves every request and job."""

    owner: str
    app: str
    embedded: bool


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def app_url_for(owner_url: str) -> str:
    """The owner URL with the application role as user (no password: trust or peer auth)."""
    url = make_url(owner_url).set(username=APP_ROLE, password=None)
    return url.render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """A URL fit for messages and logs: the password is masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


def parse_setting_url(url: str, setting: str) -> str:
    """Normalise a URL from a setting, or fail with a sentence naming the setting."""
    normalised = normalise_url(url)
    try:
        make_url(normalised)
    except Exception:
        raise DatabaseError(
            f"The database URL in {setting} is not valid; expected something like "
            "postgresql://user:password@host:5432/database."
        ) from None
    return normalised


def resolve_urls(config: Config) -> DatabaseUrls:
    """Resolve both URLs from the settings, starting the embedded server when needed."""
    if config.database_url:
        owner = parse_setting_url(config.database_url, "DATABASE_URL")
    else:
        pgdata = config.var_dir / "pg"
        try:
            owner = start_embedded(pgdata)
        except Exception as exc:
            raise DatabaseError(
                f"The embedded Postgres in {pgdata} could not start: {exc}"
            ) from exc
    app = (
        parse_setting_url(config.app_database_url, "APP_DATABASE_URL")
        if config.app_database_url
        else app_url_for(owner)
    )
    return DatabaseUrls(owner=owner, app=app, embedded=not config.database_url)


@cache
def database_urls() -> DatabaseUrls:
    """The process-wide database URLs."""
    return resolve_urls(get_config())


# A pooled connection idle for longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 10.0


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine on psycopg 3 that checks connections that sat idle before use."""
    try:
        engine = create_engine(normalise_url(url), **kwargs)  # type: ignore[arg-type]
    except Exception as exc:
        raise DatabaseError(f"The database URL {safe_url(url)} is not valid: {exc}.") from exc
    ping_idle_connections(engine)
    return engine


def ping_idle_connections(engine: Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Ping a pooled connection on checkout when it has been idle for `idle_seconds`; one
    that fails is replaced (SQLAlchemy's pessimistic disconnect handling, custom form).

    `pool_pre_ping` pings on every checkout: a round trip per request, a fifth of a
    booking's under load. A connection in steady use was working a moment ago; a server
    restart in that moment fails the requests already on its connections, as it would
    with a ping too, and the pool replaces them.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi: Any, record: ConnectionPoolEntry) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get(IDLE_SINCE)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or in steady use
        try:
            engine.dialect.do_ping(dbapi)
        except Exception as exc:  # the pool drops this one and checks out another
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc


IDLE_SINCE = "liveschool.idle_since"


@cache
def owner_engine() -> Engine:
    """Engine of the schema owner: migrations, demo seeding's role checks, tests."""
    return make_engine(database_urls().owner)


@cache
def app_engine() -> Engine:
    """Engine of the application role: subject to row-level security."""
    return make_engine(database_urls().app, pool_size=10, max_overflow=10)


def check_connection(engine: Engine) -> None:
    """Raise DatabaseError with a clear sentence when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"Cannot connect to the database at {safe_url(str(engine.url))}: {reason}"
        ) from None
