"""The `liveschool` command: helpful --help, and one clear sentence for each bad input."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from scheduling.db.engine import make_engine
from scheduling.db.migrate import upgrade
from tests.conftest import ROOT, TestDatabase


def liveschool(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Run the CLI in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "scheduling.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


HELP = [
    ("up", "Start the whole platform"),
    ("migrate", "Apply the database migrations"),
    ("demo", "Northwind Learning"),
    ("web", "booking pages"),
    ("console", "admin console"),
    ("worker", "Run background jobs"),
]


@pytest.mark.parametrize(("command", "phrase"), HELP, ids=[c for c, _ in HELP])
def test_every_command_explains_itself(command: str, phrase: str) -> None:
    result = liveschool(command, "--help")
    assert result.returncode == 0
    assert phrase in " ".join(result.stdout.split())


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


BAD_URLS = [
    (
        "postgresql://nobody@127.0.0.1:1/nowhere",
        "Error: Cannot connect to the database at postgresql+psycopg://nobody@127.0.0.1:1/nowhere",
    ),
    (
        "postgresql://ada:s3cret@127.0.0.1:1/x",
        "Error: Cannot connect to the database at postgresql+psycopg://ada:***@127.0.0.1:1/x",
    ),
    ("not a url at all", "Error: The database URL in DATABASE_URL is not valid"),
]


@pytest.mark.parametrize(("url", "start"), BAD_URLS)
def test_wrong_database_url_is_one_sentence(url: str, start: str) -> None:
    line = _one_error_line(liveschool("migrate", env={"DATABASE_URL": url}))
    assert line.startswith(start)
    assert "s3cret" not in line


def test_busy_port_is_one_sentence(db: TestDatabase) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = liveschool("web", "--port", str(port), env=db.env())
    line = _one_error_line(result)
    assert line == (
        f"Error: Port {port} on 127.0.0.1 is already in use; stop the program "
        "using it or set WEB_PORT to a free port."
    )


def test_database_from_newer_code_is_refused_untouched(empty_database: str) -> None:
    engine = make_engine(empty_database)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    line = _one_error_line(liveschool("migrate", env={"DATABASE_URL": empty_database}))
    assert "is at migration 9999_future, which is newer than this version" in line
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "9999_future"
        )
    engine.dispose()


def test_unmigrated_database_is_refused_by_the_worker(empty_database: str) -> None:
    line = _one_error_line(liveschool("worker", env={"DATABASE_URL": empty_database}))
    assert line.endswith("is not migrated; run `liveschool migrate` first.")


def test_embedded_postgres_keeps_its_data_across_restarts(tmp_path: Path) -> None:
    env = {"VAR_DIR": str(tmp_path), "DATABASE_URL": "", "APP_DATABASE_URL": ""}
    first = liveschool("migrate", env=env)
    second = liveschool("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert "migrated from empty to" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "is up to date" in second.stdout
    assert (tmp_path / "pg" / "PG_VERSION").read_text().strip() == "18"


def test_admin_create_makes_an_account_that_can_sign_in(db: TestDatabase) -> None:
    from datetime import UTC, datetime

    from scheduling.access import sign_in
    from tests.factories import make_org

    org = make_org(db, "Acme School")
    args = (
        "admin",
        "create",
        "--email",
        "Root@Acme.test",
        "--name",
        "Root Person",
        "--password",
        "a long enough secret",
    )
    first = liveschool(*args, env=db.env())
    assert (first.returncode, first.stdout.strip()) == (
        0,
        "Created super_admin account root@acme.test.",
    )
    again = liveschool(*args, env=db.env())
    assert _one_error_line(again) == (
        "Error: Someone with the email root@acme.test exists already."
    )
    short = liveschool(
        "admin",
        "create",
        "--email",
        "b@acme.test",
        "--name",
        "B",
        "--password",
        "short",
        env=db.env(),
    )
    assert _one_error_line(short) == "Error: Passwords need at least 10 characters."
    actor = sign_in(
        db.app_engine, org, "root@acme.test", "a long enough secret", now=datetime.now(UTC)
    )
    assert (actor.scope, "billing.manage" in actor.permissions) == ("org", True)
