"""Benchmark of the analytics pipeline on millions of analytics events.

On a dedicated embedded Postgres (VAR_DIR/bench-pg) it seeds the demo organisation, adds
EVENTS generated analytics events (browser sessions of 1-5 steps) with INSERT ... SELECT
generate_series, then times:

- a full load (`run_pipeline(full=True)`: copy every source, build the models, cluster the
  demo's questions, swap the file in), against a raw baseline that only does binary COPY ->
  Arrow -> DuckDB of the same analytics-events columns;
- an incremental load after 100,000 new events;
- the funnel over 10 million events: the session rollup and the funnel mart built from it;
- clustering 100,000 generated questions (with the ARI against their true topics).

Bars on a 2-core machine: full load >= 0.6x the baseline's speed, funnel < 1 s, clustering
< 20 s. It prints figures and never fails on timing.

    .venv/bin/python bench/pipeline.py [--events 5000000 | --events 10000000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import adbc_driver_postgresql.dbapi as adbc
import psycopg
from psycopg import sql
from sklearn.metrics import adjusted_rand_score
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines import warehouse as wh  # noqa: E402
from pipelines.clustering import topic_clusters  # noqa: E402
from pipelines.models import load_models, run_models  # noqa: E402
from pipelines.run import ABANDON_MINUTES, Resources, run_pipeline  # noqa: E402
from pipelines.sources import SOURCE_BY_NAME  # noqa: E402
from scheduling.config import Config  # noqa: E402
from scheduling.db.embedded import start_embedded  # noqa: E402
from scheduling.db.engine import app_url_for, make_engine  # noqa: E402
from scheduling.db.migrate import upgrade  # noqa: E402
from scheduling.demo import DEMO_ORG_ID, seed_demo  # noqa: E402
from scheduling.demo.phrases import TOPICS  # noqa: E402
from scheduling.demo.topics import compose  # noqa: E402
from scheduling.jobs import libpq_url  # noqa: E402

DB_NAME = "liveschool_bench_pipeline"
STEPS_PER_SESSION = 1.99  # page view 100 %, slot views 45 % and 30 %, form 15 %, booking 9 %
FUNNEL_EVENTS = 10_000_000
QUESTIONS = 100_000

GENERATE = """
INSERT INTO oh_analytics_events
    (org_id, id, event_type, event_id, session_id, user_agent, referrer,
     utm_source, utm_medium, utm_campaign, created_at)
SELECT oh_current_org(), gen_random_uuid(), st.kind, ev.ids[1 + s %% cardinality(ev.ids)],
       md5(%(tag)s || s::text), 'Mozilla/5.0 (bench)',
       (ARRAY['https://www.google.com/', NULL, 'https://www.linkedin.com/', NULL])[1 + s %% 4],
       (ARRAY['google', NULL, 'linkedin', 'newsletter'])[1 + s %% 4],
       (ARRAY['cpc', NULL, 'social', 'email'])[1 + s %% 4],
       (ARRAY['spring', NULL, 'outreach', 'monthly'])[1 + s %% 4],
       %(start)s + make_interval(secs => s * %(step)s + st.offset_s)
FROM (SELECT array_agg(id ORDER BY id) AS ids FROM oh_events) ev,
     generate_series(%(first)s::bigint, %(last)s::bigint) AS s
CROSS JOIN LATERAL (VALUES ('page_view', 0, 100), ('slot_view', 60, 45), ('slot_view', 90, 30),
                           ('booking_started', 150, 15), ('booking_completed', 300, 9))
     AS st(kind, offset_s, share)
WHERE s %% 100 < st.share
"""


def fresh_database(server_url: str) -> str:
    """Drop and create the benchmark database; return its owner URL."""
    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return make_url(server_url).set(database=DB_NAME).render_as_string(hide_password=False)


def generate(app_url: str, sessions: int, start: datetime, span: timedelta, tag: str) -> None:
    """Insert the steps of `sessions` browser sessions spread over `span`, on two connections."""
    step = span.total_seconds() / max(sessions, 1)

    def work(first: int, last: int) -> None:
        with psycopg.connect(libpq_url(app_url)) as conn:
            conn.execute("SELECT set_config('app.org_id', %s, false)", (str(DEMO_ORG_ID),))
            conn.execute("SET synchronous_commit = off")
            for lo in range(first, last + 1, 500_000):
                hi = min(lo + 499_999, last)
                params = {"tag": tag, "start": start, "first": lo, "last": hi, "step": step}
                conn.execute(GENERATE, params)
                conn.commit()

    half = sessions // 2
    threads = [
        threading.Thread(target=work, args=(1, half)),
        threading.Thread(target=work, args=(half + 1, sessions)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def raw_baseline(app_url: str, folder: Path) -> tuple[float, int]:
    """Binary COPY -> Arrow -> DuckDB of the analytics events, nothing else."""
    source = SOURCE_BY_NAME["analytics_events"]
    started = time.perf_counter()
    conn = adbc.connect(libpq_url(app_url))
    cursor = conn.cursor()
    cursor.execute("SELECT set_config('app.org_id', $1, false)", parameters=(str(DEMO_ORG_ID),))
    cursor.fetchall()
    cursor.execute(source.select_sql())
    table = cursor.fetch_arrow_table()
    cursor.close()
    conn.close()
    target = folder / "baseline.duckdb"
    target.unlink(missing_ok=True)
    con = wh.connect(target)
    con.register("batch", table)
    con.execute("CREATE TABLE raw_analytics_events AS SELECT * FROM batch")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started, table.num_rows


def funnel_over(warehouse: Path, events: int) -> tuple[int, float, float]:
    """Session rollup and funnel mart over `events` events (the loaded ones, repeated)."""
    models = {m.name: m for m in load_models()}
    con = wh.connect()
    con.execute("ATTACH $path AS loaded (READ_ONLY)", {"path": str(warehouse)})
    con.execute("CREATE TABLE raw_organizations AS SELECT * FROM loaded.raw_organizations")
    loaded = con.execute("SELECT count(*) FROM loaded.raw_analytics_events").fetchall()[0][0]
    copies = -(-events // loaded)
    con.execute(
        "CREATE TABLE raw_analytics_events AS "
        "SELECT * REPLACE (session_id || '#' || c AS session_id) "
        "FROM loaded.raw_analytics_events, range($copies) t(c) LIMIT $events",
        {"copies": copies, "events": events},
    )
    count = con.execute("SELECT count(*) FROM raw_analytics_events").fetchall()[0][0]
    con.execute("DETACH loaded")
    params = {"as_of": datetime.now(UTC), "abandon_minutes": ABANDON_MINUTES}
    run_models(con, params, [models["stg_organizations"], models["stg_analytics_events"]])
    started = time.perf_counter()
    run_models(con, params, [models["int_sessions"]])
    rollup = time.perf_counter() - started
    started = time.perf_counter()
    run_models(con, params, [models["mart_funnel_daily"]])
    funnel = time.perf_counter() - started
    con.close()
    return count, rollup, funnel


def clustering(n: int) -> tuple[float, int, float]:
    """Cluster `n` generated questions; return seconds, k and the ARI against their topics."""
    rng = random.Random(7)
    truth = [rng.choice(TOPICS) for _ in range(n)]
    texts = [compose(rng, topic) for topic in truth]
    started = time.perf_counter()
    model = topic_clusters(texts)
    seconds = time.perf_counter() - started
    assert model is not None
    return seconds, model.k, adjusted_rand_score([t.key for t in truth], model.labels)


def bar(ok: bool) -> str:
    return "meets the bar" if ok else "MISSES the bar"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000_000, help="events to generate")
    args = parser.parse_args()

    print(f"Starting the benchmark Postgres and seeding the demo plus {args.events:,} events ...")
    server = start_embedded(Config.from_env().var_dir / "bench-pg", database="postgres")
    owner_url = fresh_database(server)
    upgrade(make_engine(owner_url))
    app_url = app_url_for(owner_url)
    seed_demo(make_engine(app_url))
    now = datetime.now(UTC)
    started = time.perf_counter()
    sessions = round(args.events / STEPS_PER_SESSION)
    generate(app_url, sessions, now - timedelta(days=180), timedelta(days=179), "bench")
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE oh_analytics_events")
        total = conn.execute("SELECT count(*) FROM oh_analytics_events").fetchall()[0][0]
    print(f"  generated in {time.perf_counter() - started:.0f} s; {total:,} events in all")

    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        folder = Path(tmp)
        resources = Resources(folder / "warehouse.duckdb", app_url, owner_url)
        raw_baseline(app_url, folder)  # warm the caches for both contenders
        baseline, rows = raw_baseline(app_url, folder)
        full = run_pipeline(resources, full=True)
        load = full.phases["copy"] + full.phases["models"]
        print()
        print(
            f"raw baseline (binary COPY -> Arrow -> DuckDB, {rows:,} events): {baseline:.1f} s"
            f" = {rows / baseline:,.0f} rows/s"
        )
        print(
            f"full load: {full.seconds:.1f} s in all for {full.rows_copied:,} rows from "
            f"{len(full.rows)} sources: copy {full.phases['copy']:.1f} s, models "
            f"{full.phases['models']:.1f} s, topic clustering {full.phases['topics']:.1f} s"
        )
        print(
            f"  full load (copy + models) vs baseline: {baseline / load:.2f}x "
            f"(bar >= 0.6x: {bar(baseline / load >= 0.6)}); whole run incl. clustering: "
            f"{baseline / full.seconds:.2f}x"
        )

        generate(
            app_url,
            round(100_000 / STEPS_PER_SESSION),
            datetime.now(UTC),
            timedelta(minutes=5),
            "new",
        )
        incremental = run_pipeline(resources)
        print(
            f"incremental load after {incremental.rows['analytics_events']:,} new events: "
            f"{incremental.seconds:.1f} s ({incremental.rows_copied:,} rows read; file copy "
            f"{incremental.phases['copy_file']:.1f} s, copy {incremental.phases['copy']:.1f} s,"
            f" models {incremental.phases['models']:.1f} s)"
        )

        count, rollup, funnel = funnel_over(resources.warehouse_path, FUNNEL_EVENTS)
        print(
            f"funnel over {count:,} events: session rollup {rollup:.2f} s, funnel mart "
            f"{funnel:.2f} s (bar < 1 s: {bar(funnel < 1)}); both together "
            f"{rollup + funnel:.2f} s"
        )

    seconds, k, ari = clustering(QUESTIONS)
    print(
        f"clustering {QUESTIONS:,} questions: {seconds:.1f} s, k = {k}, ARI {ari:.3f} "
        f"(bar < 20 s: {bar(seconds < 20)})"
    )
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )


if __name__ == "__main__":
    main()
