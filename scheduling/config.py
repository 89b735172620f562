"""Every setting the platform reads, declared once: name, default and meaning.

Nothing else in the code base reads the environment; `tests/test_settings_documented.py`
fails when a setting is read here but missing from the README's configuration table.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment variable: its name, default (None: computed) and meaning."""

    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "Postgres URL of the schema owner, used to run migrations. Unset: an embedded "
        "Postgres 18 is started under VAR_DIR/pg and keeps its data across restarts.",
    ),
    Setting(
        "APP_DATABASE_URL",
        None,
        "Postgres URL the application connects with. Its role must neither own the tables "
        "nor bypass row-level security. Unset: DATABASE_URL with the user `liveschool_app` "
        "(created by the migrations, without a password).",
    ),
    Setting("VAR_DIR", "./var", "Folder for local state: embedded Postgres, mail, secrets."),
    Setting("WEB_HOST", "127.0.0.1", "Interface the booking app listens on."),
    Setting("WEB_PORT", "8000", "Port of the booking app (public pages, API, /healthz)."),
    Setting("WEB_WORKERS", "2", "Gunicorn worker processes for the booking app."),
    Setting("WEB_THREADS", "16", "Threads per booking app worker (gunicorn gthread)."),
    Setting("CONSOLE_PORT", "8501", "Port of the Streamlit admin console."),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs cookies and attendee tokens. Unset: generated once into "
        "VAR_DIR/secret_key.",
    ),
    Setting("WORKER_CONCURRENCY", "4", "Jobs one worker process runs at the same time."),
    Setting("WORKER_HEARTBEAT_SECONDS", "10", "How often a worker records that it is alive."),
    Setting(
        "WORKER_STALLED_SECONDS",
        "60",
        "A worker silent this long is presumed dead; its running jobs are retried.",
    ),
    Setting(
        "OUTBOX_POLL_SECONDS",
        "1",
        "How often the worker relays new outbox events (a booking's confirmation and "
        "reminders are queued from its `booking.created` event), in whole seconds.",
    ),
    Setting("JOB_MAX_ATTEMPTS", "5", "Attempts of a failing job before it is marked failed."),
    Setting(
        "JOB_RETRY_BASE_SECONDS",
        "5",
        "Backoff of a failed job: waits base, 2x base, 4x base ... seconds between attempts.",
    ),
    Setting(
        "JOB_RETENTION_HOURS",
        "168",
        "How long the worker keeps finished jobs (succeeded or cancelled) and their events; "
        "it deletes older ones every hour. Failed jobs are kept. `off`: keep every job.",
    ),
    Setting(
        "SMTP_URL",
        None,
        "Mail server, e.g. smtp://user:password@host:587?starttls=true or smtps://host:465. "
        "Unset: messages are written as .eml files to VAR_DIR/mail.",
    ),
    Setting(
        "MAIL_FROM",
        "LiveSchool <no-reply@liveschool.localhost>",
        "Sender of every message the platform sends.",
    ),
    Setting(
        "PUBLIC_BASE_URL",
        "http://127.0.0.1:8000",
        "Address attendees reach the booking app at; used in links inside messages.",
    ),
    Setting(
        "PUBLIC_ORG_SLUG",
        None,
        "Organisation whose events the public pages serve. Unset: the first organisation.",
    ),
    Setting(
        "BOOKING_LIMIT_PER_IP",
        "30",
        "Bookings one IP address may create per hour (429 beyond).",
    ),
    Setting(
        "BOOKING_LIMIT_PER_EMAIL",
        "10",
        "Bookings one attendee email may create per hour (429 beyond).",
    ),
    Setting(
        "SLOTS_CACHE_SECONDS",
        "2",
        "How long a web process may reuse a public slots response (0: never). Bookings "
        "always re-check their time, so a stale offer can only end in a clean 409.",
    ),
    Setting(
        "CONSOLE_SESSION_HOURS",
        "12",
        "How long a console sign-in lasts before the person must sign in again.",
    ),
    Setting("LOG_LEVEL", "INFO", "Python logging level of every process."),
    Setting(
        "WAREHOUSE_PATH",
        None,
        "DuckDB analytics warehouse that `liveschool pipeline run` and the worker build and "
        "the console and notebooks read. Unset: VAR_DIR/warehouse.duckdb.",
    ),
    Setting(
        "PIPELINE_INTERVAL_MINUTES",
        "15",
        "How often the worker refreshes the warehouse incrementally (0: never).",
    ),
    Setting(
        "AUDIT_PURGE_CRON",
        "17 3 * * *",
        "When the worker deletes audit entries older than each organisation's retention "
        "(cron, UTC). `off`: never on its own (the Audit log page can still purge).",
    ),
    Setting(
        "CI",
        None,
        "Tests only: `true` (CI sets it) makes a missing Chromium fail the browser tests "
        "instead of skipping them.",
    ),
    Setting(
        "SCREENSHOT_DIR",
        None,
        "Tests only: where browser tests save screenshots. Unset: each test's temp folder.",
    ),
    Setting(
        "TEST_DATABASE_URL",
        None,
        "Tests only: a Postgres server (superuser URL) to create throw-away test databases "
        "on. Unset: the tests start an embedded Postgres under VAR_DIR/test-pg.",
    ),
)

SETTING_NAMES = frozenset(s.name for s in SETTINGS)
APP_ROLE = "liveschool_app"


@dataclass(frozen=True, slots=True)
class Config:
    """Typed view of the settings, resolved from one environment mapping."""

    database_url: str | None
    app_database_url: str | None
    var_dir: Path
    web_host: str
    web_port: int
    web_workers: int
    web_threads: int
    console_port: int
    secret_key: str | None
    worker_concurrency: int
    worker_heartbeat_seconds: float
    worker_stalled_seconds: float
    outbox_poll_seconds: int
    job_max_attempts: int
    job_retry_base_seconds: int
    smtp_url: str | None
    mail_from: str
    public_base_url: str
    public_org_slug: str | None
    booking_limit_per_ip: int
    booking_limit_per_email: int
    slots_cache_seconds: int
    console_session_hours: int
    log_level: str
    test_database_url: str | None
    ci: bool
    screenshot_dir: Path | None
    warehouse_path: Path
    pipeline_interval_minutes: int
    audit_purge_cron: str | None
    job_retention_hours: int | None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """Read every setting from `environ` (default: the process environment)."""
        env = os.environ if environ is None else environ

        def raw(name: str) -> str | None:
            setting = next(s for s in SETTINGS if s.name == name)
            value = env.get(name, "").strip()
            return value or setting.default

        def integer(name: str) -> int:
            value = raw(name)
            try:
                return int(value or "")
            except ValueError:
                raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None

        var_dir = Path(raw("VAR_DIR") or "./var").resolve()
        return cls(
            database_url=raw("DATABASE_URL"),
            app_database_url=raw("APP_DATABASE_URL"),
            var_dir=var_dir,
            web_host=raw("WEB_HOST") or "127.0.0.1",
            web_port=integer("WEB_PORT"),
            web_workers=integer("WEB_WORKERS"),
            web_threads=integer("WEB_THREADS"),
            console_port=integer("CONSOLE_PORT"),
            secret_key=raw("SECRET_KEY"),
            worker_concurrency=integer("WORKER_CONCURRENCY"),
            worker_heartbeat_seconds=float(integer("WORKER_HEARTBEAT_SECONDS")),
            worker_stalled_seconds=float(integer("WORKER_STALLED_SECONDS")),
            outbox_poll_seconds=integer("OUTBOX_POLL_SECONDS"),
            job_max_attempts=integer("JOB_MAX_ATTEMPTS"),
            job_retry_base_seconds=integer("JOB_RETRY_BASE_SECONDS"),
            smtp_url=raw("SMTP_URL"),
            mail_from=raw("MAIL_FROM") or "",
            public_base_url=(raw("PUBLIC_BASE_URL") or "").rstrip("/"),
            public_org_slug=raw("PUBLIC_ORG_SLUG"),
            booking_limit_per_ip=integer("BOOKING_LIMIT_PER_IP"),
            booking_limit_per_email=integer("BOOKING_LIMIT_PER_EMAIL"),
            slots_cache_seconds=integer("SLOTS_CACHE_SECONDS"),
            console_session_hours=integer("CONSOLE_SESSION_HOURS"),
            log_level=(raw("LOG_LEVEL") or "INFO").upper(),
            test_database_url=raw("TEST_DATABASE_URL"),
            ci=(raw("CI") or "").lower() == "true",
            screenshot_dir=Path(shots).resolve() if (shots := raw("SCREENSHOT_DIR")) else None,
            warehouse_path=(
                Path(wh).resolve()
                if (wh := raw("WAREHOUSE_PATH"))
                else var_dir / "warehouse.duckdb"
            ),
            pipeline_interval_minutes=integer("PIPELINE_INTERVAL_MINUTES"),
            audit_purge_cron=(
                None if (cron := raw("AUDIT_PURGE_CRON") or "off").lower() == "off" else cron
            ),
            job_retention_hours=(
                None
                if (raw("JOB_RETENTION_HOURS") or "off").lower() in ("off", "0")
                else integer("JOB_RETENTION_HOURS")
            ),
        )

    def resolved_secret_key(self) -> str:
        """SECRET_KEY, or a key generated once and kept under VAR_DIR."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


class ConfigError(ValueError):
    """A setting has a value the platform cannot use."""


@cache
def get_config() -> Config:
    """The process-wide configuration, read once."""
    return Config.from_env()


def settings_table() -> str:
    """The README's configuration table, generated from SETTINGS."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(unset)"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows)
