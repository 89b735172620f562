"""The wiring loads: models in order, sources that exist in Postgres, tasks, command, page."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pipelines import warehouse as wh
from pipelines.models import LAYERS, load_models, run_models
from pipelines.sources import SOURCES
from pipelines.tasks import LOCK, RUN_TASK, SCHEDULED_TASK, cron_for
from scheduling.config import get_config
from scheduling.jobs import TASK_MODULES, app
from scheduling.models import Base
from tests.pipelines.literal import PARAMS

MARTS = {
    "mart_funnel_daily",
    "mart_source_attribution",
    "mart_time_to_book",
    "mart_popular_times",
    "mart_no_shows",
    "mart_feedback_weekly",
    "mart_host_leaderboard",
    "mart_team_utilisation",
    "mart_trends",
}


def test_models_come_after_their_inputs() -> None:
    models = load_models()
    order = {m.name: i for i, m in enumerate(models)}
    raw_tables = {s.raw_table for s in SOURCES}
    assert {m.name for m in models if m.layer == "marts"} == MARTS
    assert {f"stg_{s.name}" for s in SOURCES} <= set(order)
    for model in models:
        assert model.doc, f"{model.name} has no description"
        for dep in model.depends_on:
            assert dep in raw_tables or order[dep] < order[model.name], (model.name, dep)
        if model.layer == "staging":
            assert all(d.startswith(("raw_", "stg_")) for d in model.depends_on)
            assert not model.params
    assert {m.layer for m in models} == set(LAYERS)


def test_every_source_feeds_a_model() -> None:
    used = set().union(*(m.depends_on for m in load_models()))
    assert {s.raw_table for s in SOURCES} <= used


def test_every_model_builds_on_empty_raw_tables() -> None:
    con = wh.connect()
    wh.prepare(con)
    built = run_models(con, PARAMS)
    assert len(built) == len(load_models())
    assert con.execute("SELECT count(*) FROM mart_trends").fetchall() == [(0,)]
    with pytest.raises(KeyError, match="needs parameters"):
        run_models(con, {})


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_sources_read_columns_that_exist_in_postgres(source) -> None:  # type: ignore[no-untyped-def]
    table = Base.metadata.tables[source.table]
    for column in source.columns:
        named = re.findall(r"\bt\.(\w+)", column.expression or f"t.{column.name}")
        assert named, column
        assert set(named) <= set(table.columns.keys()), (source.name, column.name)
    if source.strategy == "incremental":
        assert source.cursor in table.columns
    if source.strategy == "child":
        assert source.parent_key in table.columns


def test_tasks_are_registered_with_one_lock() -> None:
    assert "pipelines.tasks" in TASK_MODULES
    run = app.tasks[RUN_TASK]
    assert (run.lock, run.queueing_lock) == (LOCK, LOCK)
    interval = get_config().pipeline_interval_minutes
    periodic = {key[0]: p for key, p in app.periodic_registry.periodic_tasks.items()}
    if interval > 0:
        assert periodic[SCHEDULED_TASK].cron == cron_for(interval)
        assert app.tasks[SCHEDULED_TASK].queueing_lock == LOCK
    else:
        assert SCHEDULED_TASK not in periodic


def test_the_pipeline_command_explains_itself() -> None:
    from scheduling.cli import main

    result = CliRunner().invoke(main, ["pipeline", "run", "--help"])
    assert result.exit_code == 0
    assert "Bring the warehouse up to date" in result.output
    assert "--full" in result.output


def test_the_console_lists_the_analytics_page() -> None:
    from admin_streamlit.navigation import PAGES

    listed = {p.path: (p.title, p.permission) for p in PAGES}
    assert listed["pages/analytics.py"] == ("Analytics", "analytics.view")


def test_the_warehouse_setting_has_a_default_under_var() -> None:
    from scheduling.config import Config

    default = Config.from_env({})
    assert default.warehouse_path.name == "warehouse.duckdb"
    assert default.warehouse_path.parent.name == "var"
    assert default.pipeline_interval_minutes == 15
    custom = Config.from_env({"WAREHOUSE_PATH": "/tmp/x.duckdb", "PIPELINE_INTERVAL_MINUTES": "0"})
    assert (str(custom.warehouse_path), custom.pipeline_interval_minutes) == ("/tmp/x.duckdb", 0)
