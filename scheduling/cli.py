"""`liveschool`: run, migrate and seed the platform from one command."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import text

from scheduling.config import ConfigError, get_config
from scheduling.db.engine import (
    DatabaseError,
    DatabaseUrls,
    check_connection,
    database_urls,
    make_engine,
    safe_url,
)
from scheduling.db.migrate import assert_known_revision, head_revision, upgrade
from scheduling.logs import configure_logging
from scheduling.processes import (
    Service,
    ServiceError,
    Supervisor,
    assert_port_free,
    console_service,
    web_service,
    worker_service,
)

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn the errors a user can cause into one sentence and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (DatabaseError, ConfigError, ServiceError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _urls() -> DatabaseUrls:
    return database_urls()


def _child_env(urls: DatabaseUrls) -> dict[str, str]:
    """Children use the resolved URLs, so none of them starts its own embedded server."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=urls.owner, APP_DATABASE_URL=urls.app, VAR_DIR=str(get_config().var_dir)
    )
    return env


def _require_current_schema(urls: DatabaseUrls) -> None:
    engine = make_engine(urls.owner)
    try:
        check_connection(engine)
        if assert_known_revision(engine) != head_revision():
            raise DatabaseError(
                f"The database at {safe_url(urls.owner)} is not migrated; "
                "run `liveschool migrate` first."
            )
    finally:
        engine.dispose()


def _migrate(urls: DatabaseUrls) -> None:
    engine = make_engine(urls.owner)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"Database {safe_url(urls.owner)} is up to date (migration {after}).")
    else:
        click.echo(f"Database {safe_url(urls.owner)} migrated from {before or 'empty'} to {after}.")


def _run_services(urls: DatabaseUrls, services: list[Service]) -> None:
    supervisor = Supervisor(services, _child_env(urls))
    try:
        supervisor.start()
        for service in services:
            where = (
                service.url or f"running (pid {service.process.pid if service.process else '?'})"
            )
            click.echo(f"  {service.name:<12} {where}")
        click.echo("Press Ctrl-C to stop.")
        code = supervisor.wait()
    finally:
        click.echo("Stopping ...")
        supervisor.stop()
    click.echo("Stopped.")
    if code:
        sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """LiveSchool Scheduling: booking pages, admin console, background jobs and analytics.

    Without DATABASE_URL every command uses an embedded Postgres kept under ./var/.
    Start everything with `liveschool up`.
    """
    configure_logging(get_config().log_level)


@main.command()
@click.option("--no-demo", is_flag=True, help="Do not load the demo organisation.")
@friendly_errors
def up(no_demo: bool) -> None:
    """Start the whole platform: migrate, load the demo if the database is empty, then run
    the booking app, the console and a worker until Ctrl-C."""
    cfg = get_config()
    assert_port_free(cfg.web_host, cfg.web_port, "WEB_PORT")
    assert_port_free(cfg.web_host, cfg.console_port, "CONSOLE_PORT")
    urls = _urls()
    _migrate(urls)
    if not no_demo:
        _seed_demo_if_empty(urls)
    click.echo("Starting LiveSchool ...")
    _run_services(
        urls,
        [
            web_service(cfg.web_host, cfg.web_port, cfg.web_workers, cfg.web_threads),
            console_service(cfg.web_host, cfg.console_port),
            worker_service(),
        ],
    )


def _seed(urls: DatabaseUrls, anchor: date | None) -> Any:
    """Seed through the application role, then refresh planner statistics as the owner."""
    from scheduling.demo import seed_demo

    app, owner = make_engine(urls.app), make_engine(urls.owner)
    try:
        result = seed_demo(app, anchor)
        if result.created:
            with owner.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        return result
    finally:
        app.dispose()
        owner.dispose()


def _seed_demo_if_empty(urls: DatabaseUrls) -> None:
    from scheduling.organizations import organisation_count

    owner = make_engine(urls.owner)
    try:
        empty = organisation_count(owner) == 0
    finally:
        owner.dispose()
    if not empty:
        click.echo("The database has organisations already; not loading the demo.")
        return
    result = _seed(urls, None)
    click.echo(f"Demo organisation loaded ({result.summary()}).")
    _print_demo_logins(urls)


@main.command()
@friendly_errors
def migrate() -> None:
    """Apply the database migrations (forward-only) as the schema owner.

    Safe to run at any time: an up-to-date database is left as it is, and a database
    migrated by a newer LiveSchool is refused rather than touched.
    """
    _migrate(_urls())


@main.command()
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Anchor date of the demo (default: today, UTC).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the demo data set to files in this folder instead of the database.",
)
@friendly_errors
def demo(today: Any, out: Path | None) -> None:
    """Load the demo organisation "Northwind Learning": 12 hosts in three time zones, teams,
    events of every meeting type, six months of bookings and analytics.

    Running it again changes nothing.
    """
    from scheduling.demo import build_demo, write_demo_files

    anchor: date | None = today.date() if today else None
    if out is not None:
        paths = write_demo_files(build_demo(anchor or date.today()), out)
        click.echo(f"Wrote {len(paths)} files to {out}.")
        return
    urls = _urls()
    _require_current_schema(urls)
    result = _seed(urls, anchor)
    if result.created:
        click.echo(f"Demo organisation loaded ({result.summary()}).")
    else:
        click.echo("The demo organisation is already loaded; nothing changed.")
    _print_demo_logins(urls)


def _print_demo_logins(urls: DatabaseUrls) -> None:
    from scheduling.db import tenant_session
    from scheduling.demo import DEMO_ORG_ID, DEMO_PASSWORD, demo_logins

    engine = make_engine(urls.app)
    try:
        with tenant_session(engine, DEMO_ORG_ID) as session:
            logins = demo_logins(session)
    finally:
        engine.dispose()
    click.echo(f"Console sign-ins (password {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<12} {email}")


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default: WEB_HOST).")
@click.option("--port", type=int, default=None, help="Port (default: WEB_PORT).")
@click.option("--workers", type=int, default=None, help="Processes (default: WEB_WORKERS).")
@friendly_errors
def web(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the public booking pages and API with gunicorn until Ctrl-C."""
    cfg = get_config()
    host, port = host or cfg.web_host, port or cfg.web_port
    assert_port_free(host, port, "WEB_PORT")
    urls = _urls()
    _require_current_schema(urls)
    _run_services(urls, [web_service(host, port, workers or cfg.web_workers, cfg.web_threads)])


@main.command()
@click.option("--port", type=int, default=None, help="Port (default: CONSOLE_PORT).")
@friendly_errors
def console(port: int | None) -> None:
    """Serve the Streamlit admin console until Ctrl-C."""
    cfg = get_config()
    port = port or cfg.console_port
    assert_port_free(cfg.web_host, port, "CONSOLE_PORT")
    urls = _urls()
    _require_current_schema(urls)
    _run_services(urls, [console_service(cfg.web_host, port)])


@main.command()
@click.option(
    "--import",
    "imports",
    multiple=True,
    metavar="MODULE",
    help="Also load tasks from this module (repeatable).",
)
@click.option("--queue", "queues", multiple=True, help="Only take jobs from this queue.")
@friendly_errors
def worker(imports: tuple[str, ...], queues: tuple[str, ...]) -> None:
    """Run background jobs (emails, calendar sync, webhooks ...) until Ctrl-C.

    Failed jobs are retried with backoff; jobs of a worker that died are picked up again.
    Run as many workers as you like, on any machine that reaches the database.
    """
    from scheduling.jobs import run_worker

    urls = _urls()
    _require_current_schema(urls)
    click.echo("Worker started; waiting for jobs.")
    run_worker(urls.app, extra_modules=imports, queues=list(queues) or None)
    click.echo("Worker stopped.")


@main.group()
def admin() -> None:
    """Manage console accounts."""


@admin.command("create")
@click.option("--email", required=True, help="Sign-in email of the new account.")
@click.option("--name", required=True, help="The person's name.")
@click.option(
    "--role",
    default="super_admin",
    show_default=True,
    type=click.Choice(["super_admin", "admin", "manager", "member", "viewer"]),
    help="Built-in role to give.",
)
@click.option("--timezone", default="UTC", show_default=True, help="IANA zone of the person.")
@click.option(
    "--org",
    "org_slug",
    default=None,
    help="Organisation slug (default: PUBLIC_ORG_SLUG, else the first one).",
)
@click.password_option(help="Password (asked twice when not given; at least 10 characters).")
@friendly_errors
def admin_create(
    email: str, name: str, role: str, timezone: str, org_slug: str | None, password: str
) -> None:
    """Create a console account, e.g. the first super admin of a new installation."""
    from scheduling.access import Actor, InvalidPerson, RoleError, create_account
    from scheduling.booking.validation import valid_timezone
    from scheduling.db import tenant_session
    from scheduling.public import public_org_id

    if not valid_timezone(timezone):
        raise ConfigError(f"Unknown time zone {timezone!r}.")
    urls = _urls()
    _require_current_schema(urls)
    engine = make_engine(urls.app)
    try:
        org = public_org_id(engine, org_slug or get_config().public_org_slug)
        if org is None:
            raise ConfigError("No such organisation; load the demo or create one first.")
        with tenant_session(engine, org) as session:
            create_account(
                session,
                Actor.system(org, "cli"),
                name=name,
                email=email,
                timezone=timezone,
                role=role,
                password=password,
            )
    except InvalidPerson as exc:
        raise ConfigError(" ".join(exc.errors.values())) from None
    except RoleError as exc:
        raise ConfigError(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(f"Created {role} account {email.strip().lower()}.")


@main.group()
def pipeline() -> None:
    """The analytics warehouse (WAREHOUSE_PATH): copy Postgres into DuckDB, rebuild reports."""


@pipeline.command("run")
@click.option(
    "--full", is_flag=True, help="Copy everything again (also drops rows deleted in Postgres)."
)
@friendly_errors
def pipeline_run(full: bool) -> None:
    """Bring the warehouse up to date, showing progress.

    Only rows changed since the last run are copied, unless --full is given or the last full
    reconcile is a day old. The console and notebooks keep the previous warehouse until the
    new one is complete.
    """
    from pipelines.run import pipeline_resources, run_pipeline
    from pipelines.warehouse import WarehouseBusy

    _require_current_schema(_urls())
    with click.progressbar(
        length=1, label="Updating the warehouse", item_show_func=lambda step: step
    ) as bar:

        def progress(step: str, done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos, step)

        try:
            result = run_pipeline(pipeline_resources(), full=full, progress=progress)
        except WarehouseBusy as exc:
            click.echo(f"\nError: {exc}", err=True)
            sys.exit(2)
    click.echo(result.summary())


if __name__ == "__main__":
    main()
