"""Forward-only schema migrations (Alembic scripts under `sql/`), run as the schema owner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from scheduling.db.engine import DatabaseError, check_connection

SCRIPT_LOCATION = Path(__file__).resolve().parents[2] / "sql"
# Tables that belong to libraries (the job queue) or to Alembic, not to our models.
FOREIGN_TABLE_PREFIXES = ("procrastinate_", "alembic_version")


def include_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    """Leave library-owned tables out of autogenerate and the drift check."""
    if type_ == "table" and name and name.startswith(FOREIGN_TABLE_PREFIXES):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and table.name.startswith(FOREIGN_TABLE_PREFIXES))


def alembic_config() -> AlembicConfig:
    """Alembic configured in code: no alembic.ini to keep in step."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    return cfg


def head_revision() -> str:
    """The newest migration this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def assert_known_revision(engine: Engine) -> str | None:
    """Refuse a database migrated by newer code: running on it could corrupt data."""
    revision = current_revision(engine)
    script = ScriptDirectory.from_config(alembic_config())
    if revision is not None and revision not in {s.revision for s in script.walk_revisions()}:
        raise DatabaseError(
            f"The database is at migration {revision}, which is newer than this version of "
            f"LiveSchool knows (its newest is {head_revision()}); upgrade LiveSchool "
            "or point DATABASE_URL at another database."
        )
    return revision


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate to the newest revision; return (revision before, revision after)."""
    check_connection(engine)
    before = assert_known_revision(engine)
    cfg = alembic_config()
    # No outer transaction: each migration commits on its own (transaction_per_migration),
    # so one can build an index CONCURRENTLY in an autocommit block.
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
    return before, head_revision()


def is_up_to_date(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    return assert_known_revision(engine) == head_revision()
