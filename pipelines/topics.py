"""Topic clusters of attendees' questions, per organisation: overall and per event.

Reads `int_question_texts` from the warehouse being built, clusters with
`pipelines.clustering`, and writes three warehouse tables (clusters, each question's
cluster, cluster sizes per week); `save_to_postgres` adds the run to `oh_topic_clusters`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlalchemy import Engine, insert

from pipelines.clustering import Labeller, TopicModel, cluster_growth, topic_clusters
from scheduling.db.tenant import tenant_session
from scheduling.models import TopicCluster

PER_EVENT_MAX_K = 8

DDL = (
    "CREATE TABLE IF NOT EXISTS topic_clusters ("
    "org_id UUID, run_id UUID, scope VARCHAR, event_id UUID, cluster_no INTEGER, "
    "label VARCHAR, top_terms VARCHAR[], examples VARCHAR[], size INTEGER, "
    "recent INTEGER, earlier INTEGER, growth DOUBLE, is_content_gap BOOLEAN, "
    "silhouette DOUBLE, computed_at TIMESTAMPTZ)",
    "CREATE TABLE IF NOT EXISTS topic_assignments ("
    "org_id UUID, scope VARCHAR, event_id UUID, answer_id UUID, cluster_no INTEGER, "
    "asked_at TIMESTAMPTZ)",
    "CREATE TABLE IF NOT EXISTS topic_cluster_weekly ("
    "org_id UUID, scope VARCHAR, event_id UUID, cluster_no INTEGER, week DATE, "
    "questions BIGINT)",
)

WEEKLY = """
INSERT INTO topic_cluster_weekly
SELECT a.org_id, a.scope, a.event_id, a.cluster_no,
       CAST(date_trunc('week', timezone(o.timezone, a.asked_at)) AS DATE) AS week,
       count(*) AS questions
FROM topic_assignments a
JOIN stg_organizations o ON o.org_id = a.org_id
WHERE a.org_id = $org
GROUP BY ALL
"""


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """One cluster of one scope, as stored in the warehouse and in Postgres."""

    scope: str
    event_id: uuid.UUID | None
    cluster_no: int
    label: str
    top_terms: list[str]
    examples: list[str]
    size: int
    recent: int
    earlier: int
    growth: float | None
    is_content_gap: bool
    silhouette: float


def _rows(
    scope: str, event_id: uuid.UUID | None, model: TopicModel, asked: list[datetime], now: datetime
) -> list[ClusterRow]:
    growth = cluster_growth(model.labels.tolist(), asked, now)
    return [
        ClusterRow(
            scope,
            event_id,
            c.cluster_no,
            c.label,
            list(c.top_terms),
            list(c.examples),
            c.size,
            growth[c.cluster_no].recent,
            growth[c.cluster_no].earlier,
            growth[c.cluster_no].growth,
            growth[c.cluster_no].is_content_gap,
            model.silhouette,
        )
        for c in model.clusters
    ]


def cluster_organisation(
    con: duckdb.DuckDBPyConnection,
    org_id: uuid.UUID,
    run_id: uuid.UUID,
    now: datetime,
    labeller: Labeller | None = None,
) -> list[ClusterRow]:
    """Cluster one organisation's questions and replace its rows in the topic tables."""
    for ddl in DDL:
        con.execute(ddl)
    questions = con.execute(
        "SELECT answer_id, event_id, text, asked_at FROM int_question_texts "
        "WHERE org_id = $org ORDER BY answer_id",
        {"org": org_id},
    ).fetchall()
    scopes: list[tuple[str, uuid.UUID | None, list[tuple]]] = [("overall", None, questions)]
    for event_id in sorted({q[1] for q in questions}):
        scopes.append(("event", event_id, [q for q in questions if q[1] == event_id]))
    rows: list[ClusterRow] = []
    assignments: list[dict] = []
    for scope, event_id, subset in scopes:
        max_k = 15 if scope == "overall" else PER_EVENT_MAX_K
        model = topic_clusters([q[2] for q in subset], max_k=max_k, labeller=labeller)
        if model is None:
            continue
        rows += _rows(scope, event_id, model, [q[3] for q in subset], now)
        assignments += [
            {
                "org_id": org_id,
                "scope": scope,
                "event_id": event_id,
                "answer_id": q[0],
                "cluster_no": int(label),
                "asked_at": q[3],
            }
            for q, label in zip(subset, model.labels, strict=True)
        ]
    _replace(con, org_id, run_id, now, rows, assignments)
    return rows


def _replace(
    con: duckdb.DuckDBPyConnection,
    org_id: uuid.UUID,
    run_id: uuid.UUID,
    now: datetime,
    rows: list[ClusterRow],
    assignments: list[dict],
) -> None:
    for table in ("topic_clusters", "topic_assignments", "topic_cluster_weekly"):
        sql = f"DELETE FROM {table} WHERE org_id = $org"  # noqa: S608 (identifiers from code)
        con.execute(sql, {"org": org_id})
    if rows:
        con.executemany(
            "INSERT INTO topic_clusters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    org_id,
                    run_id,
                    r.scope,
                    r.event_id,
                    r.cluster_no,
                    r.label,
                    r.top_terms,
                    r.examples,
                    r.size,
                    r.recent,
                    r.earlier,
                    r.growth,
                    r.is_content_gap,
                    r.silhouette,
                    now,
                )
                for r in rows
            ],
        )
    if assignments:
        batch = pa.Table.from_pylist(
            [
                {
                    **a,
                    "org_id": str(a["org_id"]),
                    "answer_id": str(a["answer_id"]),
                    "event_id": str(a["event_id"]) if a["event_id"] else None,
                }
                for a in assignments
            ]
        )
        con.register("assigned", batch)
        try:
            con.execute(
                "INSERT INTO topic_assignments SELECT CAST(org_id AS UUID), scope, "
                "CAST(event_id AS UUID), CAST(answer_id AS UUID), cluster_no, asked_at "
                "FROM assigned"
            )
        finally:
            con.unregister("assigned")
        con.execute(WEEKLY, {"org": org_id})


ANSWERS_STATE = """
SELECT (SELECT count(*) FROM raw_answers WHERE org_id = $org),
       (SELECT max(updated_at) FROM raw_answers WHERE org_id = $org),
       (SELECT count(*) FROM raw_questions WHERE org_id = $org),
       (SELECT max(updated_at) FROM raw_questions WHERE org_id = $org)
"""
PREVIOUS_STATE = """
SELECT (SELECT count(*) FROM previous.raw_answers WHERE org_id = $org),
       (SELECT max(updated_at) FROM previous.raw_answers WHERE org_id = $org),
       (SELECT count(*) FROM previous.raw_questions WHERE org_id = $org),
       (SELECT max(updated_at) FROM previous.raw_questions WHERE org_id = $org)
"""
COPY_PREVIOUS = (
    "INSERT INTO topic_clusters SELECT * FROM previous.topic_clusters WHERE org_id = $org",
    "INSERT INTO topic_assignments SELECT * FROM previous.topic_assignments WHERE org_id = $org",
    "INSERT INTO topic_cluster_weekly "
    "SELECT * FROM previous.topic_cluster_weekly WHERE org_id = $org",
)


def reuse_previous_clusters(
    con: duckdb.DuckDBPyConnection, previous: Path, org_ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    """Keep the clusters of the previous warehouse for organisations whose questions and
    answers are unchanged (a full reconcile re-reads them all); return those organisations.

    Clustering is deterministic, so doing it again would only repeat the same result.
    """
    for ddl in DDL:
        con.execute(ddl)
    con.execute("ATTACH $path AS previous (READ_ONLY)", {"path": str(previous)})
    reused: set[uuid.UUID] = set()
    try:
        known = con.execute(
            "SELECT count(*) FROM duckdb_tables() "
            "WHERE database_name = 'previous' AND table_name = 'topic_clusters'"
        ).fetchall()
        if known != [(1,)]:
            return reused
        for org in sorted(org_ids):
            params = {"org": org}
            same = con.execute(ANSWERS_STATE, params).fetchall() == (
                con.execute(PREVIOUS_STATE, params).fetchall()
            )
            clustered = con.execute(
                "SELECT count(*) FROM previous.topic_clusters WHERE org_id = $org", params
            ).fetchall() != [(0,)]
            if same and clustered:
                for statement in COPY_PREVIOUS:
                    con.execute(statement, params)
                reused.add(org)
    finally:
        con.execute("DETACH previous")
    return reused


def save_to_postgres(
    app_engine: Engine,
    org_id: uuid.UUID,
    run_id: uuid.UUID,
    computed_at: datetime,
    rows: list[ClusterRow],
) -> int:
    """Add this run's clusters to `oh_topic_clusters` through the application role."""
    if not rows:
        return 0
    values = [
        {
            "org_id": org_id,
            "run_id": run_id,
            "scope": r.scope,
            "event_id": r.event_id,
            "cluster_no": r.cluster_no,
            "label": r.label[:255],
            "top_terms": r.top_terms,
            "examples": r.examples,
            "size": r.size,
            "growth": r.growth,
            "is_content_gap": r.is_content_gap,
            "computed_at": computed_at,
        }
        for r in rows
    ]
    with tenant_session(app_engine, org_id) as session:
        session.execute(insert(TopicCluster), values)
    return len(values)
