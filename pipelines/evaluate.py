"""How well the topic clusters match the demo's true topics (adjusted Rand index).

The demo generator records the topic it wrote each answer about in
`oh_demo_answer_topics`. Only this evaluation reads that table, and never into the
warehouse: the warehouse's overall cluster of each answer is compared with the truth here,
in memory.

    .venv/bin/python -m pipelines.evaluate     # prints the ARI of the current warehouse
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sklearn.metrics import adjusted_rand_score
from sqlalchemy import Engine, select

from pipelines.warehouse import open_readonly
from scheduling.db.tenant import tenant_session
from scheduling.demo import DEMO_ORG_ID
from scheduling.models import DemoAnswerTopic


def true_topics(app_engine: Engine, org_id: uuid.UUID = DEMO_ORG_ID) -> dict[uuid.UUID, str]:
    """The generator's topic of every labelled answer."""
    with tenant_session(app_engine, org_id) as session:
        rows = session.execute(select(DemoAnswerTopic.answer_id, DemoAnswerTopic.topic))
        return {answer_id: topic for answer_id, topic in rows}


def found_clusters(warehouse_path: Path, org_id: uuid.UUID = DEMO_ORG_ID) -> dict[uuid.UUID, int]:
    """The overall cluster the pipeline put each answer in."""
    con = open_readonly(warehouse_path)
    try:
        rows = con.execute(
            "SELECT answer_id, cluster_no FROM topic_assignments "
            "WHERE org_id = $org AND scope = 'overall'",
            {"org": org_id},
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def clustering_ari(truth: dict[uuid.UUID, str], found: dict[uuid.UUID, int]) -> float:
    """Adjusted Rand index over the answers that have both a true topic and a cluster."""
    common = sorted(truth.keys() & found.keys())
    if not common:
        raise ValueError("no answer has both a true topic and a cluster")
    return float(adjusted_rand_score([truth[a] for a in common], [found[a] for a in common]))


def main() -> None:
    """Print the ARI of the configured warehouse against the demo's true topics."""
    from scheduling.config import get_config
    from scheduling.db.engine import app_engine

    truth = true_topics(app_engine())
    found = found_clusters(get_config().warehouse_path)
    print(
        f"Adjusted Rand index against the demo's true topics: "
        f"{clustering_ari(truth, found):.3f} over {len(truth.keys() & found.keys()):,} answers"
    )


if __name__ == "__main__":
    main()
