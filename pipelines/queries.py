"""Questions the console, the notebooks and the tests ask the warehouse.

Every query takes the same typed request, `Filters` (organisation, date range, events,
team, hosts); `Filters.validate` rejects impossible ones, and `resolve_scope` turns a team
or hosts into the events they host (for marts counted per event) and the hosts themselves
(for marts counted per host). Each query is a runner over one static SQL string whose
values are bound parameters; results are polars DataFrames.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import duckdb
import polars as pl

NoShowDimension = Literal["event", "host", "hour", "source", "first_time"]
Grain = Literal["week", "month"]


@dataclass(frozen=True, slots=True)
class Filters:
    """What to look at: one organisation, an inclusive date range, events, team, hosts."""

    org_id: uuid.UUID
    start: date | None = None
    end: date | None = None
    event_ids: tuple[uuid.UUID, ...] = ()
    team_id: uuid.UUID | None = None
    host_ids: tuple[uuid.UUID, ...] = ()

    def validate(self) -> Filters:
        """The filters themselves, or ValueError when they cannot match anything sensible."""
        if self.start and self.end and self.start > self.end:
            raise ValueError("The start date must not be after the end date.")
        return self


@dataclass(frozen=True, slots=True)
class Scope:
    """Filters resolved against the warehouse: None means no restriction."""

    org_id: uuid.UUID
    start: date | None
    end: date | None
    events: list[uuid.UUID] | None
    hosts: list[uuid.UUID] | None

    def params(self) -> dict[str, Any]:
        """The bound parameters every query understands."""
        return {
            "org": self.org_id,
            "start": self.start,
            "end": self.end,
            "events": self.events,
            "hosts": self.hosts,
        }


def resolve_scope(con: duckdb.DuckDBPyConnection, filters: Filters) -> Scope:
    """Hosts from the team and host filters; events from the event filter and those hosts."""
    f = filters.validate()
    hosts: set[uuid.UUID] | None = set(f.host_ids) if f.host_ids else None
    if f.team_id is not None:
        members = {
            r[0]
            for r in con.execute(
                "SELECT host_id FROM stg_team_members WHERE org_id = $org AND team_id = $team",
                {"org": f.org_id, "team": f.team_id},
            ).fetchall()
        }
        hosts = members if hosts is None else hosts & members
    events: set[uuid.UUID] | None = set(f.event_ids) if f.event_ids else None
    if hosts is not None:
        hosted = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT event_id FROM stg_event_hosts "
                "WHERE org_id = $org AND list_contains($hosts, host_id)",
                {"org": f.org_id, "hosts": sorted(hosts)},
            ).fetchall()
        }
        events = hosted if events is None else events & hosted
    return Scope(
        f.org_id,
        f.start,
        f.end,
        sorted(events) if events is not None else None,
        sorted(hosts) if hosts is not None else None,
    )


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pl.DataFrame:
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    frame = pl.from_arrow(con.sql(sql, params=used).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    # DuckDB sums whole numbers into 128-bit integers, which arrive as decimals.
    return frame.with_columns(
        pl.col(name).cast(pl.Int64 if dtype.scale == 0 else pl.Float64)  # type: ignore[attr-defined]
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Decimal)
    )


def _run(con: duckdb.DuckDBPyConnection, sql: str, filters: Filters, **extra: Any) -> pl.DataFrame:
    return _frame(con, sql, {**resolve_scope(con, filters).params(), **extra})


# --- metadata -------------------------------------------------------------------------


def data_as_of(con: duckdb.DuckDBPyConnection, org_id: uuid.UUID) -> datetime | None:
    """The Postgres snapshot time the organisation's figures reflect."""
    rows = con.execute(
        "SELECT data_as_of FROM pipeline_orgs WHERE org_id = $org", {"org": org_id}
    ).fetchall()
    return rows[0][0] if rows else None


def filter_options(con: duckdb.DuckDBPyConnection, org_id: uuid.UUID) -> dict[str, pl.DataFrame]:
    """Events, teams and hosts to offer in filters, by name."""
    params = {"org": org_id}
    return {
        "events": _frame(
            con,
            "SELECT event_id, title FROM stg_events WHERE org_id = $org ORDER BY title",
            params,
        ),
        "teams": _frame(
            con, "SELECT team_id, name FROM stg_teams WHERE org_id = $org ORDER BY name", params
        ),
        "hosts": _frame(
            con,
            "SELECT host_id, name FROM stg_hosts WHERE org_id = $org AND is_host ORDER BY name",
            params,
        ),
    }


def date_bounds(con: duckdb.DuckDBPyConnection, org_id: uuid.UUID) -> tuple[date, date] | None:
    """The first and last day with visits or meetings."""
    lo, hi = con.execute(
        "SELECT min(d), max(d) FROM ("
        "SELECT day AS d FROM mart_funnel_daily WHERE org_id = $org "
        "UNION ALL SELECT start_date FROM int_bookings WHERE org_id = $org)",
        {"org": org_id},
    ).fetchall()[0]
    return (lo, hi) if lo is not None else None


# --- funnel, sources, time to book ----------------------------------------------------

FUNNEL_SQL = """
SELECT coalesce(sum(page_views), 0) AS page_views,
       coalesce(sum(slot_views), 0) AS slot_views,
       coalesce(sum(form_starts), 0) AS form_starts,
       coalesce(sum(bookings), 0) AS bookings,
       coalesce(sum(abandoned), 0) AS abandoned
FROM mart_funnel_daily
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR day >= $start) AND ($end IS NULL OR day <= $end)
"""

FUNNEL_DAILY_SQL = """
SELECT day, sum(page_views) AS page_views, sum(slot_views) AS slot_views,
       sum(form_starts) AS form_starts, sum(bookings) AS bookings, sum(abandoned) AS abandoned
FROM mart_funnel_daily
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR day >= $start) AND ($end IS NULL OR day <= $end)
GROUP BY day
ORDER BY day
"""

SOURCES_SQL = """
SELECT source, medium, sum(sessions) AS sessions, sum(conversions) AS conversions,
       sum(conversions) / sum(sessions) AS conversion_rate
FROM mart_source_attribution
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR day >= $start) AND ($end IS NULL OR day <= $end)
GROUP BY source, medium
ORDER BY sessions DESC, source, medium
"""

CAMPAIGNS_SQL = """
SELECT source, medium, campaign, referrer_host, sum(sessions) AS sessions,
       sum(conversions) AS conversions, sum(conversions) / sum(sessions) AS conversion_rate
FROM mart_source_attribution
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR day >= $start) AND ($end IS NULL OR day <= $end)
GROUP BY ALL
ORDER BY sessions DESC, source, medium, campaign, referrer_host
"""

TIME_TO_BOOK_SQL = """
SELECT e.title AS event, count(*) AS bookings,
       quantile_cont(t.seconds_to_book, 0.5) / 60 AS median_minutes,
       quantile_cont(t.seconds_to_book, 0.9) / 60 AS p90_minutes
FROM mart_time_to_book t
JOIN stg_events e ON e.org_id = t.org_id AND e.event_id = t.event_id
WHERE t.org_id = $org
  AND ($events IS NULL OR list_contains($events, t.event_id))
  AND ($start IS NULL OR t.day >= $start) AND ($end IS NULL OR t.day <= $end)
GROUP BY e.title
ORDER BY bookings DESC, event
"""

FUNNEL_STEPS = ("page_views", "slot_views", "form_starts", "bookings")
FUNNEL_LABELS = ("Page views", "Slot views", "Form starts", "Bookings")


def funnel(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Sessions at each funnel step, and abandoned forms, over the filters (one row)."""
    return _run(con, FUNNEL_SQL, filters)


def funnel_steps(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """The funnel as (step, sessions) rows in funnel order, for a funnel chart."""
    totals = funnel(con, filters).row(0, named=True)
    return pl.DataFrame(
        {"step": list(FUNNEL_LABELS), "sessions": [int(totals[s]) for s in FUNNEL_STEPS]}
    )


def funnel_daily(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """The funnel per day."""
    return _run(con, FUNNEL_DAILY_SQL, filters)


def sources(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Sessions, bookings and conversion rate per first-touch source and medium."""
    return _run(con, SOURCES_SQL, filters)


def campaigns(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Sessions and conversions per source, medium, campaign and referring host."""
    return _run(con, CAMPAIGNS_SQL, filters)


def time_to_book(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per event: bookings and the median and 90th-percentile minutes from page to booking."""
    return _run(con, TIME_TO_BOOK_SQL, filters)


# --- bookings -------------------------------------------------------------------------

POPULAR_TIMES_SQL = """
SELECT weekday, hour, sum(bookings) AS bookings
FROM mart_popular_times
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR start_date >= $start) AND ($end IS NULL OR start_date <= $end)
GROUP BY weekday, hour
ORDER BY weekday, hour
"""

# Weeks (Mondays) that overlap the date range.
LEADERBOARD_SQL = """
SELECT h.name AS host, l.host_id, sum(l.bookings) AS bookings,
       sum(l.cancellations) AS cancellations, sum(l.attended) AS attended,
       sum(l.no_shows) AS no_shows,
       sum(l.attended) / nullif(sum(l.attended) + sum(l.no_shows), 0) AS attendance_rate,
       sum(l.ratings) AS ratings, sum(l.rating_sum) / nullif(sum(l.ratings), 0) AS avg_rating
FROM mart_host_leaderboard l
JOIN stg_hosts h ON h.org_id = l.org_id AND h.host_id = l.host_id
WHERE l.org_id = $org
  AND ($hosts IS NULL OR list_contains($hosts, l.host_id))
  AND ($events IS NULL OR list_contains($events, l.event_id))
  AND ($start IS NULL OR l.week >= date_trunc('week', CAST($start AS DATE)))
  AND ($end IS NULL OR l.week <= $end)
GROUP BY h.name, l.host_id
ORDER BY bookings DESC, attendance_rate DESC, host
"""

NO_SHOW_SQL = {
    "event": """
SELECT e.title AS event, sum(n.outcomes) AS outcomes, sum(n.no_shows) AS no_shows
FROM mart_no_shows n
JOIN stg_events e ON e.org_id = n.org_id AND e.event_id = n.event_id
WHERE n.org_id = $org
  AND ($events IS NULL OR list_contains($events, n.event_id))
  AND ($start IS NULL OR n.start_date >= $start) AND ($end IS NULL OR n.start_date <= $end)
GROUP BY e.title
""",
    "hour": """
SELECT hour, sum(outcomes) AS outcomes, sum(no_shows) AS no_shows
FROM mart_no_shows
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR start_date >= $start) AND ($end IS NULL OR start_date <= $end)
GROUP BY hour
""",
    "source": """
SELECT source, sum(outcomes) AS outcomes, sum(no_shows) AS no_shows
FROM mart_no_shows
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR start_date >= $start) AND ($end IS NULL OR start_date <= $end)
GROUP BY source
""",
    "first_time": """
SELECT is_first_time AS first_time, sum(outcomes) AS outcomes, sum(no_shows) AS no_shows
FROM mart_no_shows
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR start_date >= $start) AND ($end IS NULL OR start_date <= $end)
GROUP BY is_first_time
""",
    "host": """
SELECT h.name AS host, sum(l.attended) + sum(l.no_shows) AS outcomes,
       sum(l.no_shows) AS no_shows
FROM mart_host_leaderboard l
JOIN stg_hosts h ON h.org_id = l.org_id AND h.host_id = l.host_id
WHERE l.org_id = $org
  AND ($hosts IS NULL OR list_contains($hosts, l.host_id))
  AND ($events IS NULL OR list_contains($events, l.event_id))
  AND ($start IS NULL OR l.week >= date_trunc('week', CAST($start AS DATE)))
  AND ($end IS NULL OR l.week <= $end)
GROUP BY h.name
""",
}

FEEDBACK_SQL = """
SELECT week, sum(responses) AS responses, sum(rating_sum) / sum(responses) AS avg_rating,
       sum(nps_responses) AS nps_responses,
       100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(nps_responses), 0) AS nps
FROM mart_feedback_weekly
WHERE org_id = $org
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR week >= date_trunc('week', CAST($start AS DATE)))
  AND ($end IS NULL OR week <= $end)
GROUP BY week
ORDER BY week
"""

UTILISATION_SQL = """
SELECT h.name AS host, u.week, u.booked_minutes, u.available_minutes, u.utilisation
FROM mart_team_utilisation u
JOIN stg_hosts h ON h.org_id = u.org_id AND h.host_id = u.host_id
WHERE u.org_id = $org
  AND ($hosts IS NULL OR list_contains($hosts, u.host_id))
  AND ($start IS NULL OR u.week >= date_trunc('week', CAST($start AS DATE)))
  AND ($end IS NULL OR u.week <= $end)
ORDER BY u.week, host
"""

TRENDS_SQL = """
WITH v AS (
    SELECT period_start, metric, sum(value) AS value
    FROM mart_trends
    WHERE org_id = $org AND grain = $grain
      AND ($events IS NULL OR list_contains($events, event_id))
    GROUP BY ALL
)
SELECT v.period_start, v.metric, v.value, coalesce(p.value, 0) AS previous_value,
       (v.value - p.value) / p.value AS change
FROM v
LEFT JOIN v p
  ON p.metric = v.metric
 AND p.period_start = CAST(CASE $grain WHEN 'week' THEN v.period_start - INTERVAL 7 DAY
                                       ELSE v.period_start - INTERVAL 1 MONTH END AS DATE)
WHERE ($start IS NULL
       OR v.period_start >= date_trunc(CAST($grain AS VARCHAR), CAST($start AS DATE)))
  AND ($end IS NULL OR v.period_start <= $end)
ORDER BY v.period_start, v.metric
"""

BOOKING_FACTS_SQL = """
SELECT booking_id, event_id, start_date, lead_hours, hour, weekday, source, is_first_time,
       is_no_show
FROM int_bookings
WHERE org_id = $org AND has_outcome
  AND ($events IS NULL OR list_contains($events, event_id))
  AND ($start IS NULL OR start_date >= $start) AND ($end IS NULL OR start_date <= $end)
ORDER BY starts_at, booking_id
"""

TREND_METRICS = ("bookings", "cancellations", "attended", "no_shows", "sessions", "conversions")


def popular_times(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Bookings per weekday (0 = Monday) and hour of the start in the event's zone."""
    return _run(con, POPULAR_TIMES_SQL, filters)


def host_leaderboard(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per host: bookings, cancellations, attended, no-shows, attendance rate and rating."""
    return _run(con, LEADERBOARD_SQL, filters)


def no_show_rates(
    con: duckdb.DuckDBPyConnection, filters: Filters, by: NoShowDimension
) -> pl.DataFrame:
    """Meetings with an outcome, no-shows and the no-show rate per event, host, hour..."""
    if by not in NO_SHOW_SQL:
        raise ValueError(f"no-show rates can be split by {sorted(NO_SHOW_SQL)}, not {by!r}")
    frame = _run(con, NO_SHOW_SQL[by], filters)
    return (
        frame.filter(pl.col("outcomes") > 0)
        .with_columns(no_show_rate=pl.col("no_shows") / pl.col("outcomes"))
        .sort(frame.columns[0])
    )


def feedback_trend(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per meeting week: responses, average rating and NPS."""
    return _run(con, FEEDBACK_SQL, filters)


def utilisation(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per host and week: booked and available minutes and utilisation."""
    return _run(con, UTILISATION_SQL, filters)


def trends(con: duckdb.DuckDBPyConnection, filters: Filters, grain: Grain = "week") -> pl.DataFrame:
    """Per period and metric: the value, the period before and the change from it."""
    if grain not in ("week", "month"):
        raise ValueError(f"trends are by week or month, not {grain!r}")
    return _run(con, TRENDS_SQL, filters, grain=grain)


def booking_facts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """One row per meeting with a recorded outcome: what the no-show model learns from."""
    return _run(con, BOOKING_FACTS_SQL, filters)


# --- topics ---------------------------------------------------------------------------

TOPIC_CLUSTERS_SQL = """
SELECT c.event_id, e.title AS event, c.cluster_no, c.label, c.size, c.recent, c.earlier,
       c.growth, c.is_content_gap, c.top_terms, c.examples
FROM topic_clusters c
LEFT JOIN stg_events e ON e.org_id = c.org_id AND e.event_id = c.event_id
WHERE c.org_id = $org AND c.scope = $scope
  AND ($events IS NULL OR c.event_id IS NULL OR list_contains($events, c.event_id))
ORDER BY event NULLS FIRST, c.size DESC, c.cluster_no
"""

TOPIC_SIZES_SQL = """
SELECT w.week, c.label, w.questions
FROM topic_cluster_weekly w
JOIN topic_clusters c
  ON c.org_id = w.org_id AND c.scope = w.scope AND c.cluster_no = w.cluster_no
 AND c.event_id IS NOT DISTINCT FROM w.event_id
WHERE w.org_id = $org AND w.scope = 'overall'
  AND ($start IS NULL OR w.week >= date_trunc('week', CAST($start AS DATE)))
  AND ($end IS NULL OR w.week <= $end)
ORDER BY w.week, c.label
"""


def topic_clusters(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    scope: Literal["overall", "event"] = "overall",
) -> pl.DataFrame:
    """The latest clusters of attendees' questions, largest first, with example questions."""
    return _run(con, TOPIC_CLUSTERS_SQL, filters, scope=scope)


def topic_sizes(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Questions per overall cluster and week, to see topics grow or fade."""
    return _run(con, TOPIC_SIZES_SQL, filters)


def has_topics(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse holds topic tables (none before the first clustering)."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'topic_clusters' "
        "AND database_name = current_database()"
    ).fetchall()
    return rows[0][0] > 0
