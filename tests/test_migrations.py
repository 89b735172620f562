"""Migrations: an empty database reaches head, the models match it, newer databases are refused."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from scheduling.db.engine import DatabaseError, make_engine
from scheduling.db.migrate import (
    SCRIPT_LOCATION,
    current_revision,
    head_revision,
    include_object,
    is_up_to_date,
    upgrade,
)
from scheduling.models import Base


def test_empty_database_migrates_to_head_without_drift(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == (None, head_revision())
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "include_object": include_object,
                    "compare_type": True,
                    "compare_server_default": True,
                },
            )
            assert compare_metadata(context, Base.metadata) == []
        assert upgrade(engine) == (head_revision(), head_revision())  # a second run is a no-op
        assert is_up_to_date(engine)
    finally:
        engine.dispose()


def test_database_from_a_newer_migration_is_refused(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        with pytest.raises(DatabaseError, match="newer than this version of LiveSchool"):
            upgrade(engine)
        with engine.connect() as conn:  # nothing was touched
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert version == "9999_from_the_future"
    finally:
        engine.dispose()


def test_unreachable_database_gives_one_clear_sentence() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/nowhere")
    with pytest.raises(DatabaseError) as info:
        upgrade(engine)
    message = str(info.value)
    assert message.startswith("Cannot connect to the database at postgresql+psycopg://nobody@")
    assert "\n" not in message


MIGRATIONS = sorted((SCRIPT_LOCATION / "versions").glob("*.py"))


@pytest.mark.parametrize("path", MIGRATIONS, ids=[p.stem for p in MIGRATIONS])
def test_migrations_are_forward_only(path: Path) -> None:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(NotImplementedError, match="forward-only"):
        module.downgrade()
