"""Entering a tenant, and counting a rate-limited attempt, each in one statement.

Under load, every statement a request sends costs its Python process far more than its
share of the server's time (the GIL changes hands around each call into libpq), so the
booking face's round trips carry as few as they can:

- `oh_enter_tenant(org, generic_plans)` sets the transaction's organisation (and, for the
  public face's key lookups, generic plans) and returns the organisation's configuration
  version (migration 0015), which the booking face checks its kept event setups against.
  It replaces a `set_config` statement followed by a read of the version: the read runs
  inside the function, after the setting, so row security sees the organisation.
- `oh_count_attempt(org, window_start, buckets, keys)` counts one attempt against each
  (bucket, key) in the window and returns the counts. It runs as a transaction of its own
  ahead of the booking's, ended by COMMIT without a BEGIN (an implicit transaction), and
  commits without waiting for the disk: a count lost in a crash lets a few more attempts
  through.
- Counters are sharded: a (bucket, key, window) is counted on one of `SHARDS` rows, chosen
  by the server process (so by the pooled connection), and its count is their sum. Every
  attempt from one address (an office, a campus NAT, a load test) updated one row, and
  each update waits for the one before it to commit: with as many server processes as
  cores' worth of work, the process holding the row is often off the CPU while the others
  queue behind it. The booking bench's throughput fell by a fifth over 40 s of one hour's
  window that way, and recovered when the row was emptied.

Both run as the caller (SECURITY INVOKER): row security applies as to any statement.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 01:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


SHARDS = 16


def upgrade() -> None:
    op.execute("ALTER TABLE oh_rate_limits ADD COLUMN shard smallint NOT NULL DEFAULT 0")
    op.execute("ALTER TABLE oh_rate_limits DROP CONSTRAINT pk_oh_rate_limits")
    op.execute(
        "ALTER TABLE oh_rate_limits ADD CONSTRAINT pk_oh_rate_limits "
        "PRIMARY KEY (org_id, bucket, key, window_start, shard)"
    )
    op.execute(
        """
        CREATE FUNCTION oh_enter_tenant(org text, generic_plans boolean) RETURNS bigint
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM set_config('app.org_id', org, true);
            IF generic_plans THEN
                PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
            END IF;
            RETURN (SELECT v.version FROM oh_config_versions v
                    WHERE v.org_id = oh_current_org());
        END $$
        """
    )
    op.execute(
        """
        CREATE FUNCTION oh_count_attempt(
            org uuid, window_start timestamptz, buckets text[], keys text[]
        ) RETURNS TABLE (bucket text, key text, count integer)
        LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM set_config('app.org_id', org::text, true);
            PERFORM set_config('synchronous_commit', 'off', true);
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
