"""Pure pipeline steps on tiny literal data: watermarks, loaders, clustering, model, queries."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import duckdb
import polars as pl
import pyarrow as pa
import pytest

from pipelines import queries as q
from pipelines import warehouse as wh
from pipelines.clustering import (
    Cluster,
    TopTermsLabeller,
    cluster_growth,
    topic_clusters,
)
from pipelines.extract import extract_sql
from pipelines.noshow import drivers, no_show_model, summarise
from pipelines.sources import SOURCE_BY_NAME
from pipelines.tasks import cron_for
from pipelines.watermarks import Watermark, extract_window, next_watermark
from tests.pipelines.literal import E1, E2, H1, H2, ORG, TEAM, literal_warehouse, u

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


# --- watermarks --------------------------------------------------------------------------


def batch(*rows: tuple[datetime, uuid.UUID]) -> pa.Table:
    return pa.table(
        {
            "org_id": pa.array([ORG.bytes] * len(rows), pa.binary(16)),
            "id": pa.array([r[1].bytes for r in rows], pa.binary(16)),
            "updated_at": pa.array([r[0] for r in rows], pa.timestamp("us", tz="UTC")),
        }
    )


WATERMARKS = [
    ("empty batch keeps the old mark", None, [], None),
    ("first batch", None, [(T0, u(5)), (T0 - timedelta(1), u(9))], Watermark(T0, u(5))),
    ("ties on time: greatest id", None, [(T0, u(5)), (T0, u(7))], Watermark(T0, u(7))),
    (
        "an overlap re-read never moves back",
        Watermark(T0, u(9)),
        [(T0, u(3)), (T0 - timedelta(minutes=5), u(99))],
        Watermark(T0, u(9)),
    ),
    (
        "later rows move it on",
        Watermark(T0, u(9)),
        [(T0 + timedelta(1), u(1))],
        Watermark(T0 + timedelta(1), u(1)),
    ),
]


@pytest.mark.parametrize(
    ("case", "previous", "rows", "expected"), WATERMARKS, ids=[w[0] for w in WATERMARKS]
)
def test_next_watermark(
    case: str, previous: Watermark | None, rows: list, expected: Watermark | None
) -> None:
    assert next_watermark(previous, batch(*rows), "updated_at") == expected


def test_watermarks_order_like_postgres_row_values() -> None:
    high_bit = uuid.UUID("80000000-0000-0000-0000-000000000000")
    assert Watermark(T0, u(1)) < Watermark(T0, high_bit) < Watermark(T0 + timedelta(0, 1), u(0))


def test_extract_window_steps_back_by_the_overlap() -> None:
    mark = Watermark(T0, u(7))
    assert extract_window(mark, timedelta(minutes=10)) == Watermark(
        T0 - timedelta(minutes=10), u(7)
    )
    assert extract_window(mark, timedelta(0)) == mark


def test_extract_sql_per_strategy() -> None:
    mark = Watermark(T0, u(1))
    bookings, hosts = SOURCE_BY_NAME["bookings"], SOURCE_BY_NAME["booking_hosts"]
    assert extract_sql(bookings, None) == bookings.select_sql()
    assert extract_sql(bookings, mark).endswith(
        "WHERE (t.updated_at, t.id) > ($1::timestamptz, $2::uuid)"
    )
    child = extract_sql(hosts, mark)
    assert "JOIN oh_bookings p ON p.org_id = t.org_id AND p.id = t.booking_id" in child
    assert child.endswith("WHERE (p.updated_at, p.id) > ($1::timestamptz, $2::uuid)")
    rules = SOURCE_BY_NAME["availability_rules"]
    assert extract_sql(rules, mark) == rules.select_sql()
    assert "md5(lower(t.email)) AS email_digest" in SOURCE_BY_NAME["attendees"].select_sql()
    assert "$" not in bookings.select_sql()


# --- loading into the raw tables ---------------------------------------------------------


@pytest.fixture
def raw() -> Iterator[duckdb.DuckDBPyConnection]:
    con = wh.connect()
    wh.prepare(con)
    yield con
    con.close()


def booking_rows(*rows: tuple[int, str]) -> pa.Table:
    return pa.Table.from_pylist(
        [{"org_id": str(ORG), "id": str(u(n)), "status": s, "updated_at": T0} for n, s in rows]
    )


def statuses(con: duckdb.DuckDBPyConnection) -> dict[uuid.UUID, str]:
    return dict(con.execute("SELECT id, status FROM raw_bookings").fetchall())


def test_upsert_updates_changed_rows_instead_of_duplicating(raw: duckdb.DuckDBPyConnection) -> None:
    bookings = SOURCE_BY_NAME["bookings"]
    wh.append(raw, bookings, booking_rows((1, "confirmed"), (2, "confirmed")))
    wh.upsert(raw, bookings, booking_rows((2, "cancelled"), (3, "confirmed")))
    assert statuses(raw) == {u(1): "confirmed", u(2): "cancelled", u(3): "confirmed"}


def test_children_of_changed_parents_are_replaced(raw: duckdb.DuckDBPyConnection) -> None:
    hosts = SOURCE_BY_NAME["booking_hosts"]

    def rows(*pairs: tuple[int, uuid.UUID]) -> pa.Table:
        return pa.Table.from_pylist(
            [{"org_id": str(ORG), "booking_id": str(u(b)), "admin_id": str(h)} for b, h in pairs]
        )

    wh.append(raw, hosts, rows((1, H1), (2, H1), (2, H2)))
    wh.replace_children(raw, hosts, booking_rows((2, "confirmed")), rows((2, H2)))
    found = sorted(raw.execute("SELECT booking_id, admin_id FROM raw_booking_hosts").fetchall())
    assert found == sorted([(u(1), H1), (u(2), H2)])


def test_a_snapshot_replaces_only_its_organisation(raw: duckdb.DuckDBPyConnection) -> None:
    members = SOURCE_BY_NAME["team_members"]

    def rows(org: uuid.UUID, *ids: int) -> pa.Table:
        return pa.Table.from_pylist(
            [{"org_id": str(org), "id": str(u(i)), "team_id": str(TEAM)} for i in ids]
        )

    wh.append(raw, members, rows(ORG, 1, 2))
    wh.append(raw, members, rows(u(99), 3))
    wh.replace_snapshot(raw, members, ORG, rows(ORG, 4))
    found = sorted(raw.execute("SELECT org_id, id FROM raw_team_members").fetchall())
    assert found == sorted([(ORG, u(4)), (u(99), u(3))])


# --- clustering ---------------------------------------------------------------------------

TOPICS = {
    "visa": ["visa", "embassy", "passport", "interview", "immigration", "consulate"],
    "aid": ["scholarship", "grant", "loan", "tuition", "financial", "bursary"],
    "housing": ["housing", "dorm", "roommate", "rent", "accommodation", "campus"],
}
FILLER = ["hello", "thanks", "please", "question", "about", "could", "help"]


def synthetic_questions(n: int, seed: int = 1) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, truth = [], []
    for i in range(n):
        topic = list(TOPICS)[i % 3]
        words = rng.sample(TOPICS[topic], 3) + rng.sample(FILLER, 3)
        rng.shuffle(words)
        texts.append(" ".join(words))
        truth.append(topic)
    return texts, truth


def test_clustering_finds_the_topics_deterministically() -> None:
    from sklearn.metrics import adjusted_rand_score

    texts, truth = synthetic_questions(90)
    model = topic_clusters(texts)
    assert model is not None
    assert model.k == 3
    assert adjusted_rand_score(truth, model.labels) == 1.0
    assert sorted(c.size for c in model.clusters) == [30, 30, 30]
    again = topic_clusters(texts)
    assert again is not None and again.clusters == model.clusters
    labels = {c.label.split(" / ")[0] for c in model.clusters}
    assert all(any(term in TOPICS[t] for t in TOPICS) for term in labels)
    assert set(model.silhouettes) == set(range(2, 10))
    assert model.metrics == {"k": 3.0, "silhouette": model.silhouette}


def test_a_labeller_can_be_swapped() -> None:
    class Shouting:
        def label(self, top_terms: list[str], examples: list[str]) -> str:
            return top_terms[0].upper()

    model = topic_clusters(synthetic_questions(60)[0], labeller=Shouting())
    assert model is not None
    assert {c.label for c in model.clusters} <= {w.upper() for ws in TOPICS.values() for w in ws}
    assert TopTermsLabeller().label(("a", "b", "c", "d"), ()) == "a / b / c"


def test_too_few_questions_are_not_clustered() -> None:
    assert topic_clusters(synthetic_questions(19)[0]) is None


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_examples_are_distinct_members_of_their_cluster() -> None:
    texts = ["visa embassy passport"] * 15 + ["loan grant tuition"] * 15
    model = topic_clusters(texts)
    assert model is not None
    assert [c.examples for c in model.clusters] in (
        [("visa embassy passport",), ("loan grant tuition",)],
        [("loan grant tuition",), ("visa embassy passport",)],
    )
    assert isinstance(model.clusters[0], Cluster)


def test_cluster_growth_flags_content_gaps() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    old, new = now - timedelta(days=60), now - timedelta(days=3)
    labels = [0] * 10 + [1] * 10 + [0] * 5 + [1] * 15
    asked = [old] * 20 + [new] * 20
    growth = cluster_growth(labels, asked, now)
    assert (growth[1].recent, growth[1].earlier) == (15, 10)
    assert growth[1].growth == pytest.approx((15 / 20) / (10 / 20) - 1)
    assert growth[1].is_content_gap and not growth[0].is_content_gap
    assert growth[0].growth == pytest.approx(-0.5)
    only_new = cluster_growth([0, 0], [new, new], now)
    assert only_new[0].growth is None and not only_new[0].is_content_gap


# --- no-show model ------------------------------------------------------------------------


def test_no_show_model_learns_a_planted_driver() -> None:
    rng = random.Random(3)
    rows = []
    for i in range(800):
        social = i % 2 == 0
        rows.append(
            {
                "lead_hours": rng.uniform(1, 500),
                "hour": rng.randrange(8, 18),
                "source": "social" if social else "direct",
                "is_first_time": rng.random() < 0.5,
                "is_no_show": rng.random() < (0.6 if social else 0.05),
            }
        )
    model = no_show_model(pl.DataFrame(rows))
    assert model.metrics["roc_auc"] > 0.7
    assert model.metrics["meetings"] == 800
    top = drivers(model).row(0, named=True)
    assert top["feature"] == "kind__source_social" and top["coefficient"] > 0
    assert "ROC AUC" in summarise(model)
    again = no_show_model(pl.DataFrame(rows))
    assert again.metrics == model.metrics


def test_no_show_model_needs_both_outcomes() -> None:
    rows = [
        {"lead_hours": 1.0, "hour": 9, "source": "x", "is_first_time": True, "is_no_show": False}
    ] * 10
    with pytest.raises(ValueError, match="both attended meetings and no-shows"):
        no_show_model(pl.DataFrame(rows))


# --- scheduling and queries ---------------------------------------------------------------

CRONS = [(15, "*/15 * * * *"), (1, "*/1 * * * *"), (120, "0 */2 * * *"), (1440, "0 0 * * *")]


@pytest.mark.parametrize(("minutes", "cron"), CRONS)
def test_cron_for(minutes: int, cron: str) -> None:
    assert cron_for(minutes) == cron


@pytest.mark.parametrize("minutes", [0, -5, 90, 2000])
def test_cron_for_refuses_intervals_it_cannot_express(minutes: int) -> None:
    with pytest.raises(ValueError, match="PIPELINE_INTERVAL_MINUTES"):
        cron_for(minutes)


@pytest.fixture(scope="module")
def literal() -> Iterator[duckdb.DuckDBPyConnection]:
    con = literal_warehouse()
    yield con
    con.close()


def test_scope_from_team_and_hosts(literal: duckdb.DuckDBPyConnection) -> None:
    everything = q.resolve_scope(literal, q.Filters(ORG))
    assert (everything.events, everything.hosts) == (None, None)
    team = q.resolve_scope(literal, q.Filters(ORG, team_id=TEAM))
    assert (team.hosts, team.events) == ([H1], [E1])
    ben = q.resolve_scope(literal, q.Filters(ORG, host_ids=(H2,), event_ids=(E2,)))
    assert (ben.hosts, ben.events) == ([H2], [E2])
    nobody = q.resolve_scope(literal, q.Filters(ORG, team_id=TEAM, host_ids=(H2,)))
    assert (nobody.hosts, nobody.events) == ([], [])


def test_filters_reject_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="start date must not be after the end date"):
        q.Filters(ORG, start=date(2026, 3, 2), end=date(2026, 3, 1)).validate()


def test_queries_filter_by_event_dates_and_hosts(literal: duckdb.DuckDBPyConnection) -> None:
    assert q.funnel(literal, q.Filters(ORG)).row(0) == (6, 3, 4, 2, 2)
    only_e1 = q.funnel(literal, q.Filters(ORG, event_ids=(E1,))).to_dicts()[0]
    assert (only_e1["page_views"], only_e1["bookings"], only_e1["abandoned"]) == (2, 1, 1)
    march_2 = q.Filters(ORG, start=date(2026, 3, 2), end=date(2026, 3, 2))
    assert q.funnel_steps(literal, march_2)["sessions"].to_list() == [2, 0, 1, 1]
    team = q.host_leaderboard(literal, q.Filters(ORG, team_id=TEAM))
    assert team.select("host", "bookings", "attended", "no_shows").rows() == [("Ada", 5, 2, 1)]
    rates = q.no_show_rates(literal, q.Filters(ORG), "host")
    assert rates.rows() == [("Ada", 3, 1, pytest.approx(1 / 3)), ("Ben", 2, 1, 0.5)]
    by_event = q.no_show_rates(literal, q.Filters(ORG), "event")
    assert by_event["event"].to_list() == ["Intro call", "Office hours"]
    with pytest.raises(ValueError, match="can be split by"):
        q.no_show_rates(literal, q.Filters(ORG), "weather")  # type: ignore[arg-type]


def test_trend_query_compares_with_the_period_before(literal: duckdb.DuckDBPyConnection) -> None:
    weekly = q.trends(literal, q.Filters(ORG), "week").filter(pl.col("metric") == "sessions")
    assert weekly.select("period_start", "value", "previous_value").rows() == [
        (date(2026, 2, 23), 2, 0),  # Saturday 28 February and Sunday 1 March
        (date(2026, 3, 2), 3, 2),
        (date(2026, 3, 9), 1, 3),
    ]
    assert weekly["change"].to_list() == [None, 0.5, pytest.approx(-2 / 3)]
    with pytest.raises(ValueError, match="by week or month"):
        q.trends(literal, q.Filters(ORG), "day")  # type: ignore[arg-type]


def test_other_queries_on_the_literal_warehouse(literal: duckdb.DuckDBPyConnection) -> None:
    f = q.Filters(ORG)
    assert (
        q.sources(literal, f)
        .filter(pl.col("source") == "google")
        .row(0, named=True)["conversion_rate"]
        == 1.0
    )
    assert q.popular_times(literal, f)["bookings"].sum() == 8
    feedback = q.feedback_trend(literal, f).row(0, named=True)
    assert (feedback["week"], feedback["responses"], feedback["nps"]) == (date(2026, 3, 2), 3, 50.0)
    assert q.time_to_book(literal, f).rows() == [
        ("Intro call", 1, 5.0, 5.0),
        ("Office hours", 1, 45.0, 45.0),
    ]
    assert q.booking_facts(literal, f).height == 4
    assert q.data_as_of(literal, ORG) is None  # no pipeline run wrote this warehouse
    assert q.date_bounds(literal, ORG) == (date(2026, 2, 28), date(2026, 3, 30))
    assert q.has_topics(literal) is False
