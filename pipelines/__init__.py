"""Postgres -> DuckDB analytics: loads, warehouse models, topic clustering, queries.

- `sources`: what is copied from Postgres and how it is kept current (watermarks).
- `extract`: binary COPY into Arrow through ADBC, one organisation snapshot at a time.
- `warehouse`: the DuckDB file: build beside, swap atomically, read read-only; loaders.
- `models`: the SQL models under `warehouse/`, run in dependency order.
- `clustering`, `topics`: topic clusters of attendees' questions; `evaluate`: their ARI.
- `noshow`: the no-show model. `queries`: what the console and notebooks ask.
- `run`: the wiring (`run_pipeline`); `tasks`: the background jobs.

It imports `scheduling`, never the other faces.
"""
