"""Engines for the two database roles: the schema owner (migrations) and the application."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

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


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine on psycopg 3 that checks connections before use."""
    try:
        return create_engine(normalise_url(url), pool_pre_ping=True, **kwargs)  # type: ignore[arg-type]
    except Exception as exc:
        raise DatabaseError(f"The database URL {safe_url(url)} is not valid: {exc}.") from exc


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
