"""Counting an attempt no longer plans its sum on every call.

`oh_count_attempt` (migration 0017) read each counter's sum over its shards with a query
whose parameters are the function's arguments. PL/pgSQL keeps that plan, but the plan
cache compared its generic plan (estimated over an array of unknown length) with the
custom plans of its first calls (over the two keys given) and kept planning a custom one:
under the booking bench, 137-159 us of planning per call, about a tenth of the server's
time per booking (pg_stat_statements, `track_planning`). The function now sets generic
plans for its own transaction (the count is a transaction of its own: see
`scheduling.public.Attempt`), so the sum is planned once per server process.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25 03:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

SHARDS = 16


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION oh_count_attempt(
            org uuid, window_start timestamptz, buckets text[], keys text[]
        ) RETURNS TABLE (bucket text, key text, count integer)
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM set_config('app.org_id', org::text, true);
            PERFORM set_config('synchronous_commit', 'off', true);
            PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
            INSERT INTO oh_rate_limits AS r (org_id, bucket, key, window_start, shard, count)
            SELECT org, c.b, c.k, oh_count_attempt.window_start, pg_backend_pid() % {SHARDS}, 1
            FROM unnest(buckets, keys) AS c(b, k)
            ON CONFLICT ON CONSTRAINT pk_oh_rate_limits
            DO UPDATE SET count = r.count + 1;
            RETURN QUERY
                SELECT c.b, c.k,
                       (SELECT sum(r.count)::integer FROM oh_rate_limits r
                        WHERE r.org_id = org AND r.bucket = c.b AND r.key = c.k
                          AND r.window_start = oh_count_attempt.window_start)
                FROM unnest(buckets, keys) AS c(b, k);
        END $$
        """.replace("{SHARDS}", str(SHARDS))
    )


def downgrade() -> None:
    raise NotImplementedError("Migrations are forward-only.")
