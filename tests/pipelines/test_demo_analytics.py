"""The pipeline over the seeded demo: figures match Postgres, topics match the truth, the page.

The demo and its warehouse are built once per run (`tests/pipelines/demo.py`).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from pipelines import queries as q
from pipelines.evaluate import clustering_ari, found_clusters, true_topics
from pipelines.warehouse import open_readonly
from scheduling.access import Actor
from scheduling.db import tenant_session
from scheduling.demo import DEMO_ORG_ID
from scheduling.models import TopicCluster
from tests.conftest import ROOT
from tests.pipelines.demo import DemoWarehouse

PAGE = str(ROOT / "admin_streamlit" / "pages" / "analytics.py")


def postgres(demo: DemoWarehouse, sql: str) -> list[tuple]:
    with tenant_session(demo.app_engine, DEMO_ORG_ID) as s:
        return [tuple(r) for r in s.execute(text(sql))]


def warehouse(demo: DemoWarehouse, sql: str) -> list[tuple]:
    con = open_readonly(demo.path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_row_of_every_source_arrived(demo_warehouse: DemoWarehouse) -> None:
    demo = demo_warehouse
    for table, raw in [
        ("oh_bookings", "raw_bookings"),
        ("oh_analytics_events", "raw_analytics_events"),
        ("oh_answers", "raw_answers"),
        ("oh_booking_hosts", "raw_booking_hosts"),
    ]:
        assert postgres(demo, f"SELECT count(*) FROM {table}") == warehouse(
            demo,
            f"SELECT count(*) FROM {raw}",
        ), table
    assert demo.result.full and demo.result.organisations == 1


def test_warehouse_figures_match_postgres(demo_warehouse: DemoWarehouse) -> None:
    demo = demo_warehouse
    booked = postgres(
        demo,
        "SELECT count(DISTINCT session_id) FROM oh_analytics_events "
        "WHERE event_type = 'booking_completed'",
    )[0][0]
    con = open_readonly(demo.path)
    try:
        funnel = q.funnel(con, q.Filters(DEMO_ORG_ID)).row(0, named=True)
        board = q.host_leaderboard(con, q.Filters(DEMO_ORG_ID))
    finally:
        con.close()
    assert funnel["bookings"] == booked == 3672
    no_shows = postgres(
        demo,
        "SELECT count(*) FROM oh_bookings b JOIN oh_booking_hosts h ON h.booking_id = b.id "
        "WHERE b.attendance = 'no_show'",
    )[0][0]
    assert board["no_shows"].sum() == no_shows
    assert funnel["page_views"] > funnel["slot_views"] > funnel["form_starts"] > funnel["bookings"]


def test_topic_clusters_match_the_true_topics(demo_warehouse: DemoWarehouse) -> None:
    demo = demo_warehouse
    truth = true_topics(demo.app_engine)
    found = found_clusters(demo.path)
    assert len(truth.keys() & found.keys()) == len(truth) == 3073
    ari = clustering_ari(truth, found)
    print(f"adjusted Rand index against the demo's true topics: {ari:.3f}")
    assert ari >= 0.7


def test_clusters_are_labelled_tracked_and_saved_to_postgres(
    demo_warehouse: DemoWarehouse,
) -> None:
    demo = demo_warehouse
    con = open_readonly(demo.path)
    try:
        overall = q.topic_clusters(con, q.Filters(DEMO_ORG_ID))
        per_event = q.topic_clusters(con, q.Filters(DEMO_ORG_ID), "event")
        sizes = q.topic_sizes(con, q.Filters(DEMO_ORG_ID))
    finally:
        con.close()
    assert 8 <= overall.height <= 15
    assert overall["size"].sum() == 3073
    assert per_event["event"].n_unique() == 10
    visa = overall.filter(pl.col("label").str.contains("visa"))
    assert visa.height == 1
    assert all("visa" in e.lower() or "i-20" in e.lower() for e in visa["examples"][0])
    assert sizes["questions"].sum() == 3073
    with tenant_session(demo.app_engine, DEMO_ORG_ID) as s:
        saved = s.scalar(select(func.count()).where(TopicCluster.run_id == demo.result.run_id))
        labels = set(s.scalars(select(TopicCluster.label).where(TopicCluster.scope == "overall")))
    assert saved == overall.height + per_event.height
    assert labels == set(overall["label"])


def test_no_show_model_on_the_demo(demo_warehouse: DemoWarehouse) -> None:
    from pipelines.noshow import drivers, no_show_model

    con = open_readonly(demo_warehouse.path)
    try:
        facts = q.booking_facts(con, q.Filters(DEMO_ORG_ID))
    finally:
        con.close()
    model = no_show_model(facts)
    assert model.metrics["meetings"] == facts.height == 3077
    assert model.metrics["roc_auc"] > 0.55
    assert drivers(model).height == 8


# --- the console page -------------------------------------------------------------------


def page(demo: DemoWarehouse | None, path: Path) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["warehouse_path"] = str(path)
    at.session_state[ACTOR_KEY] = Actor.system(DEMO_ORG_ID, "analyst")
    if demo is not None:
        at.session_state[DATABASE_KEY] = demo.app_url
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_page_renders_every_chart_of_the_demo(demo_warehouse: DemoWarehouse) -> None:
    at = page(demo_warehouse, demo_warehouse.path)
    assert not at.exception
    assert at.caption[0].value.startswith("Data as of 2026-")
    assert metrics(at) == {"Visits": "19,314", "Bookings": "3,672", "Abandoned forms": "2,364"}
    assert len(at.get("plotly_chart")) == 9
    assert {b.key for b in at.get("download_button")} == {
        f"csv_{name}"
        for name in (
            "funnel_daily",
            "sources",
            "campaigns",
            "trends_week",
            "popular_times",
            "host_leaderboard",
            "utilisation",
            "no_shows_by_event",
            "feedback",
            "topic_clusters",
            "topic_sizes",
            "time_to_book",
        )
    }
    titles = [s.value for s in at.subheader]
    assert "Host leaderboard" in titles and "What attendees ask about" in titles


def test_page_filters_narrow_the_figures(demo_warehouse: DemoWarehouse) -> None:
    at = page(demo_warehouse, demo_warehouse.path)
    at.selectbox(key="filter_event").select("Admissions Consultation").run()
    assert not at.exception
    narrowed = metrics(at)
    assert int(narrowed["Bookings"].replace(",", "")) < 3672
    at.selectbox(key="filter_event").select("All").run()
    at.selectbox(key="filter_team").select("Tutoring").run()
    team = metrics(at)
    assert int(team["Visits"].replace(",", "")) < 19314
    at.date_input(key="filter_dates").set_value(
        (at.date_input(key="filter_dates").value[0],) * 2
    ).run()
    assert not at.exception
    assert int(metrics(at)["Visits"].replace(",", "")) < int(team["Visits"].replace(",", ""))
    at.selectbox(key="no_show_split").select("First-time attendee").run()
    assert not at.exception


def test_page_hides_exports_without_permission(demo_warehouse: DemoWarehouse) -> None:
    at = AppTest.from_function(_render_without_export, args=(str(demo_warehouse.path),))
    at.run(timeout=60)
    assert not at.exception
    assert len(at.get("download_button")) == 0
    assert len(at.get("plotly_chart")) == 9


def _render_without_export(path: str) -> None:
    from pathlib import Path

    from admin_streamlit.pages import analytics
    from scheduling.demo import DEMO_ORG_ID

    analytics.render(Path(path), DEMO_ORG_ID, can_export=False)


def test_page_without_a_warehouse_says_how_to_build_one(tmp_path: Path) -> None:
    at = page(None, tmp_path / "missing.duckdb")
    assert not at.exception
    assert at.info[0].value.startswith("No analytics warehouse yet. Build it with")
    assert len(at.get("plotly_chart")) == 0


@pytest.mark.parametrize("grain", ["week", "month"])
def test_trends_by_week_and_month(demo_warehouse: DemoWarehouse, grain: str) -> None:
    con = open_readonly(demo_warehouse.path)
    try:
        frame = q.trends(con, q.Filters(DEMO_ORG_ID), grain)  # type: ignore[arg-type]
    finally:
        con.close()
    bookings = frame.filter(pl.col("metric") == "bookings")
    assert (
        bookings["value"].sum()
        == postgres(
            demo_warehouse, "SELECT count(*) FROM oh_bookings WHERE rescheduled_from_id IS NULL"
        )[0][0]
    )
    assert set(frame["metric"]) == set(q.TREND_METRICS)


def test_a_full_reconcile_keeps_clusters_of_unchanged_questions(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    import shutil

    from pipelines.run import Resources, run_pipeline

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, copy)
    result = run_pipeline(
        Resources(copy, demo_warehouse.app_url, demo_warehouse.owner_url), full=True
    )
    assert result.full and result.clustered == []
    query = "SELECT run_id, count(*), sum(size) FROM topic_clusters GROUP BY run_id"
    before = open_readonly(demo_warehouse.path).execute(query).fetchall()
    assert open_readonly(copy).execute(query).fetchall() == before
    assert before[0][0] == demo_warehouse.result.run_id
