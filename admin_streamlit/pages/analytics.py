"""Analytics: funnel, sources, trends, popular times, hosts, no-shows, feedback and topics.

The page reads the DuckDB warehouse read-only through `pipelines.queries` (the functions the
notebooks use) and never Postgres, except to queue a refresh. `render(..., can_export=...)`
shows CSV downloads only when the viewer may export (the `analytics.export` permission).
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import duckdb
import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from admin_streamlit.auth import current_actor
from admin_streamlit.state import engine
from pipelines import queries as q
from pipelines.warehouse import open_readonly
from scheduling.access import can
from scheduling.config import get_config

# A session may point the page at another warehouse (tests, operators).
WAREHOUSE_KEY = "warehouse_path"
ALL = "All"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NO_SHOW_SPLITS: dict[str, q.NoShowDimension] = {
    "Event": "event",
    "Host": "host",
    "Hour": "hour",
    "Source": "source",
    "First-time attendee": "first_time",
}


def warehouse_path() -> Path:
    """The warehouse this session reads: WAREHOUSE_PATH unless the session names another."""
    return Path(st.session_state.get(WAREHOUSE_KEY) or get_config().warehouse_path)


def queue_refresh(org_id: uuid.UUID) -> str:
    """Queue a pipeline run through the job queue; say what happened."""
    from procrastinate.exceptions import AlreadyEnqueued

    from pipelines.tasks import RUN_TASK
    from scheduling.db.tenant import tenant_session
    from scheduling.jobs import defer

    try:
        with tenant_session(engine(), org_id) as session:
            defer(session, RUN_TASK, full=False)
    except AlreadyEnqueued:
        return "A refresh is already queued; the figures update when it finishes."
    return "Refresh queued: the figures update when the worker has run the pipeline."


def table(name: str, frame: pl.DataFrame, can_export: bool) -> None:
    """Show a table, with a CSV download when the viewer may export."""
    st.dataframe(frame, hide_index=True, width="stretch")
    if can_export:
        st.download_button(
            "Download CSV",
            frame.write_csv(),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"csv_{name}",
        )


def _choice(label: str, options: pl.DataFrame, id_col: str, name_col: str) -> uuid.UUID | None:
    names = options[name_col].to_list()
    ids = options[id_col].to_list()
    picked = st.selectbox(label, [ALL, *names], key=f"filter_{label.lower()}")
    return uuid.UUID(str(ids[names.index(picked)])) if picked != ALL else None


def filters(con: duckdb.DuckDBPyConnection, org_id: uuid.UUID) -> q.Filters:
    """The filter row: date range, event, team and host."""
    options = q.filter_options(con, org_id)
    bounds = q.date_bounds(con, org_id) or (date.today(), date.today())
    dates_col, event_col, team_col, host_col = st.columns([2, 2, 1, 1])
    with dates_col:
        picked = st.date_input(
            "Dates", value=bounds, min_value=bounds[0], max_value=bounds[1], key="filter_dates"
        )
    chosen = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
    start = chosen[0] if chosen else None
    end = chosen[1] if len(chosen) > 1 else start
    with event_col:
        event = _choice("Event", options["events"], "event_id", "title")
    with team_col:
        team = _choice("Team", options["teams"], "team_id", "name")
    with host_col:
        host = _choice("Host", options["hosts"], "host_id", "name")
    return q.Filters(
        org_id,
        start=start,
        end=end,
        event_ids=(event,) if event else (),
        team_id=team,
        host_ids=(host,) if host else (),
    )


def funnel_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """The funnel chart, headline numbers and the funnel per day."""
    st.subheader("Booking funnel")
    totals = q.funnel(con, f).row(0, named=True)
    views, booked = totals["page_views"], totals["bookings"]
    a, b, c = st.columns(3)
    a.metric("Visits", f"{views:,}")
    b.metric("Bookings", f"{booked:,}", f"{booked / views:.1%} of visits" if views else None)
    c.metric("Abandoned forms", f"{totals['abandoned']:,}")
    steps = q.funnel_steps(con, f)
    st.plotly_chart(go.Figure(go.Funnel(y=steps["step"], x=steps["sessions"])), key="funnel")
    with st.expander("Funnel per day"):
        table("funnel_daily", q.funnel_daily(con, f), can_export)


def sources_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """Visits and conversion rate by first-touch source."""
    st.subheader("Sources (first touch)")
    frame = q.sources(con, f)
    if frame.is_empty():
        st.info("No visits in this selection.")
        return
    chart = px.bar(frame, x="source", y="sessions", color="conversion_rate", hover_data=["medium"])
    st.plotly_chart(chart, key="sources")
    table("sources", frame, can_export)
    with st.expander("Campaigns and referrers"):
        table("campaigns", q.campaigns(con, f), can_export)


def trends_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """Week-over-week or month-over-month trends."""
    st.subheader("Trends")
    grain = st.radio("Compare", ["week", "month"], horizontal=True, key="trend_grain")
    frame = q.trends(con, f, grain)  # type: ignore[arg-type]
    if frame.is_empty():
        st.info("No activity in this selection.")
        return
    st.plotly_chart(px.line(frame, x="period_start", y="value", color="metric"), key="trends")
    table(f"trends_{grain}", frame, can_export)


def popular_times_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """Weekday x hour heatmap of meeting starts in the event's zone."""
    st.subheader("Popular times (event's time zone)")
    frame = q.popular_times(con, f)
    grid = [[0] * 24 for _ in WEEKDAYS]
    for row in frame.iter_rows(named=True):
        grid[row["weekday"]][row["hour"]] = row["bookings"]
    heatmap = go.Figure(go.Heatmap(z=grid, x=list(range(24)), y=list(WEEKDAYS)))
    st.plotly_chart(heatmap, key="popular_times")
    table("popular_times", frame, can_export)


def hosts_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """Host leaderboard and utilisation."""
    st.subheader("Host leaderboard")
    board = q.host_leaderboard(con, f)
    if not board.is_empty():
        st.plotly_chart(px.bar(board, x="host", y=["attended", "no_shows"]), key="leaderboard")
    table("host_leaderboard", board.drop("host_id"), can_export)
    with st.expander("Utilisation (booked / available minutes per week)"):
        table("utilisation", q.utilisation(con, f), can_export)


def no_show_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """No-show rate split by a chosen dimension."""
    st.subheader("No-show rates")
    label = st.selectbox("Split by", list(NO_SHOW_SPLITS), key="no_show_split")
    frame = q.no_show_rates(con, f, NO_SHOW_SPLITS[label])
    if frame.is_empty():
        st.info("No meeting in this selection has a recorded outcome yet.")
        return
    key = frame.columns[0]
    chart = px.bar(frame.with_columns(pl.col(key).cast(pl.String)), x=key, y="no_show_rate")
    st.plotly_chart(chart, key="no_shows")
    table(f"no_shows_by_{NO_SHOW_SPLITS[label]}", frame, can_export)


def feedback_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """Average rating and NPS per week."""
    st.subheader("Feedback")
    frame = q.feedback_trend(con, f)
    if frame.is_empty():
        st.info("No feedback in this selection.")
        return
    st.plotly_chart(px.line(frame, x="week", y=["avg_rating", "nps"]), key="feedback")
    table("feedback", frame, can_export)


def topics_section(con: duckdb.DuckDBPyConnection, f: q.Filters, can_export: bool) -> None:
    """Clusters of attendees' questions with examples; growing ones are content gaps."""
    st.subheader("What attendees ask about")
    if not q.has_topics(con):
        st.info("No questions have been clustered yet.")
        return
    clusters = q.topic_clusters(con, f, "event" if f.event_ids else "overall")
    if clusters.is_empty():
        st.info("Too few questions in this selection to cluster.")
        return
    st.plotly_chart(
        px.bar(clusters, x="size", y="label", color="is_content_gap", orientation="h"),
        key="topics",
    )
    for row in clusters.head(12).iter_rows(named=True):
        flag = " - growing: content gap" if row["is_content_gap"] else ""
        with st.expander(f"{row['label']} ({row['size']} questions){flag}"):
            for example in row["examples"]:
                st.markdown(f"> {example}")
    table("topic_clusters", clusters.drop("top_terms", "examples"), can_export)
    with st.expander("Questions per topic and week"):
        sizes = q.topic_sizes(con, f)
        if not sizes.is_empty():
            st.plotly_chart(px.area(sizes, x="week", y="questions", color="label"), key="sizes")
        table("topic_sizes", sizes, can_export)


def render(path: Path, org_id: uuid.UUID, can_export: bool = True) -> None:
    """The whole page for one organisation's warehouse data."""
    st.title("Analytics")
    if st.button("Refresh data", key="refresh"):
        st.info(queue_refresh(org_id))
    if not path.exists():
        st.info(
            "No analytics warehouse yet. Build it with `liveschool pipeline run`, or press "
            "Refresh data and a worker will build it."
        )
        return
    con = open_readonly(path)
    try:
        as_of = q.data_as_of(con, org_id)
        if as_of is None:
            st.info("The warehouse holds no data for this organisation yet.")
            return
        st.caption(f"Data as of {as_of:%Y-%m-%d %H:%M} UTC")
        f = filters(con, org_id)
        for section in (
            funnel_section,
            sources_section,
            trends_section,
            popular_times_section,
            hosts_section,
            no_show_section,
            feedback_section,
            topics_section,
        ):
            section(con, f, can_export)
        st.subheader("Time to book (first page view to booking)")
        table("time_to_book", q.time_to_book(con, f), can_export)
    finally:
        con.close()


def main() -> None:
    """Render for the signed-in person, if their role may view analytics."""
    actor = current_actor()
    if actor is None or not can(actor, "analytics.view"):
        st.title("Analytics")
        st.error("You are not allowed to view analytics.")
        return
    render(warehouse_path(), actor.org_id, can_export=can(actor, "analytics.export"))


if __name__ == "__main__":  # Streamlit runs pages as __main__; importing renders nothing
    main()
