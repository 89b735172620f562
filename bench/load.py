"""Load benchmark of the booking app against a bare Flask app served the same way.

Prints requests/s and p99 latency, measured with wrk at 64 connections, for the slots
endpoint (one host, 7 days) and booking creation (distinct slots), and the ratios to a bare
JSON hello route and a bare single-INSERT route; then checks by SQL that no host holds two
overlapping bookings. Needs `wrk` (Debian package). Not a test: it never fails on timing.
Each round runs every app once, one after the other; the medians over the rounds (three by
default) are the figures, since a shared machine's speed drifts from minute to minute. A
warm-up run of every app (`--warmup` seconds, 5 by default) goes first and is not counted:
a server's first seconds fill its pool, psycopg's prepared statements (from a statement's
fifth run on each connection) and Postgres's plan and catalog caches, and the booking route,
with the most statements, pays for that most (one run without a warm-up booked 229 req/s in
its first round, then 318 and 368).

It also measures the booking floor: a bare app (psycopg pool, no framework beyond Flask)
that sends the route's own SQL in the route's two pipelined round trips, with values made
in a few lines and no application code (no validation, engine, SQLAlchemy or documents built
by the services): the rate-limit count with its commit, the BEGIN, the organisation entered
with its configuration version, and the re-check read; then the booking's one statement (the
booking, its outbox event, audit entry and tracking step) with its commit: seven statements.
What the database and the driver do per booking bounds the real route; the floor's ratio
says how much of the bar is left to Python.

A booking's messages (a confirmation per reader, two reminders) are queued by the worker's
outbox relay, off the request path (`scheduling.outbox`). No worker runs during the wrk
runs; afterwards the benchmark relays every booking's event as the worker would, and prints
the relay's rate, which must stay well above the booking rate for the worker to keep up.

What booking creation exercises: the public API's full path (rate-limit count per IP and
per email, validation, re-check, insert, outbox, audit, tracking step) over
eight hosts (`--hosts`), each open around the clock with its own 15-minute event and no
daily or weekly limits (so no advisory lock), booked from tomorrow on, in start order,
requests taking the hosts in turn, each a new attendee from the same IP. The database
starts with half a year of past meetings (one an hour per host) and is analysed once, as
autovacuum keeps a live one; it is not analysed during the run. `--hosts 1` puts every
booking on one host's consecutive times.

    .venv/bin/python bench/load.py [--seconds 10] [--connections 64] [--rounds 3] [--hosts 8]
                                   [--warmup 5] [--workers W] [--threads T]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scheduling.booking.service import new_booking_sql  # noqa: E402
from scheduling.config import Config  # noqa: E402
from scheduling.db.embedded import start_embedded  # noqa: E402
from scheduling.db.engine import app_url_for, make_engine  # noqa: E402
from scheduling.db.migrate import upgrade  # noqa: E402
from scheduling.db.tenant import tenant_session  # noqa: E402
from scheduling.jobs import libpq_url  # noqa: E402
from scheduling.models import (  # noqa: E402
    Admin,
    AnalyticsEvent,
    AuditLog,
    AvailabilityRule,
    AvailabilitySchedule,
    Event,
    EventHost,
    MeetingType,
    Organization,
    OutboxMessage,
)
from scheduling.outbox import relay_all  # noqa: E402
from scheduling.processes import gunicorn_argv  # noqa: E402

DB_NAME = "liveschool_bench"
ROUND_DAYS = 150  # a round books at most 1,000 req/s x 10 s x 15 minutes = 104 days
DEFAULTS = Config.from_env({})  # the shipped defaults, whatever this shell sets
POST_SCRIPT = r"""
counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  base = tonumber(args[1])
  hosts = tonumber(args[2])
  path = args[3]
end
request = function()
  counter = counter + 1
  local n = counter * 2 + id  -- wrk runs two threads (-t2): every n once, every host in turn
  -- hosts are open 00:00-23:59, so the day's last quarter (23:45) is never bookable: skip it
  local start = base + (n + math.floor(n / 95)) * 900
  local body = string.format(
    '{"start":"%s","timezone":"UTC","name":"Load %d","email":"load%d-%d@example.com"}',
    os.date("!%Y-%m-%dT%H:%M:%S+00:00", start), n, id, counter)
  local target = string.format(path, n % hosts)
  return wrk.format("POST", target, {["Content-Type"] = "application/json"}, body)
end
"""
BARE_APP = """
import os
from flask import Flask, jsonify
from psycopg_pool import ConnectionPool

app = Flask(__name__)
pool = ConnectionPool(os.environ["BARE_DB"], min_size=2, max_size=10, open=False)

@app.get("/hello")
def hello():
    return jsonify(hello="world")

@app.post("/insert")
def insert():
    if pool.closed:
        pool.open()
    with pool.connection() as conn:
        conn.execute("INSERT INTO bench_bare (payload) VALUES (%s)", ("x",))
    return jsonify(ok=True), 201
"""


FLOOR_APP = """
import json, os, uuid
from datetime import UTC, datetime, timedelta
from flask import Flask, jsonify, request
from psycopg_pool import ConnectionPool
from scheduling.booking.inputs import OCCUPIED_READ as CHECK
from scheduling.db.tenant import ENTER_TENANT_SQL
from scheduling.public import COUNT_SQL
from load import floor_statement

ORG = uuid.UUID(os.environ["FLOOR_ORG"])
EVENTS = [tuple(map(uuid.UUID, p.split(":"))) for p in os.environ["FLOOR_EVENTS"].split(",")]
INSERT = floor_statement()
app = Flask(__name__)
pool = ConnectionPool(os.environ["BARE_DB"], min_size=2, max_size=10, open=False)


@app.post("/book/<int:k>")
def book(k):
    if pool.closed:
        pool.open()
    EVENT, HOST = EVENTS[k]
    body = request.get_json()
    start = datetime.fromisoformat(body["start"])
    end = start + timedelta(minutes=15)
    uid, org, now = uuid.uuid4(), str(ORG), datetime.now(UTC).isoformat()
    with pool.connection() as conn:
        conn.autocommit = True  # transactions by statement, as the route's (one Sync a trip)
        with conn.pipeline():  # the route's first round trip
            hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)  # the route's
            counted = conn.execute(COUNT_SQL, {  # an implicit transaction of its own
                "org": ORG, "window_start": hour,
                "buckets": ["booking:email", "booking:ip"], "keys": [body["email"], "bench"]})
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            conn.execute(ENTER_TENANT_SQL, [org, True])  # with its version, and generic plans
            conn.execute(CHECK, {"hosts": [HOST], "lo": start - timedelta(hours=26),
                                 "hi": end, "at": start, "exclude": None})
        counted.fetchall()
        people = [{"name": body["name"], "email": body["email"], "phone": None,
                   "timezone": "UTC", "is_guest": False}]
        occupied = [{"admin_id": str(HOST), "lo": start.isoformat(), "hi": end.isoformat()}]
        ids = {"booking_id": str(uid), "event_id": str(EVENT)}
        at = {"starts_at": start.isoformat(), "status": "confirmed"}
        outbox = [{"org_id": org, "name": "booking.created", "actor": body["email"],
                   "payload": ids | at, "occurred_at": now}]
        audit = [{"org_id": org, "actor_id": None, "actor_label": body["email"],
                  "action": "booking.created", "entity_type": "booking", "entity_id": str(uid),
                  "old_values": None, "new_values": at | {"ends_at": end.isoformat()},
                  "ip_address": None, "user_agent": None}]
        step = [{"org_id": org, "id": str(uuid.uuid4()), "event_type": "booking_completed",
                 **ids, "session_id": uid.hex[:22], "user_agent": "wrk", "referrer": None,
                 "utm_source": None, "utm_medium": None, "utm_campaign": None, "metadata": {},
                 "created_at": now}]
        with conn.pipeline():  # the second: the write and the commit
            made = conn.execute(INSERT, {
                "id": uid, "event_id": EVENT, "slot_id": None, "status": "confirmed",
                "starts_at": start, "ends_at": end, "buffer_before": 0, "buffer_after": 0,
                "attendee_timezone": "UTC", "manage_token_hash": uid.hex * 2,
                "idempotency_key": str(uid), "rescheduled_from_id": None,
                "ical_uid": f"{uid}@floor", "ics_sequence": 0, "seats": 1, "source": "api",
                "referrer": None, "utm_source": None, "utm_medium": None, "utm_campaign": None,
                "hosts": [HOST], "people": json.dumps(people), "answers": "{}",
                "occupied": json.dumps(occupied), "rows_0": json.dumps(outbox),
                "rows_1": json.dumps(audit), "rows_2": json.dumps(step)})
            conn.execute("COMMIT")
        made.fetchall()
        conn.autocommit = False
    return jsonify(uid=str(uid)), 201
"""


def floor_statement() -> str:
    """The route's one statement as the floor sends it (and `pg_floor.py`): the booking, with
    its outbox event, audit entry and tracking step, in the keys the floor's rows carry."""
    outbox = ("org_id", "name", "actor", "payload", "occurred_at")
    audit = ("org_id", "actor_id", "actor_label", "action", "entity_type", "entity_id",
             "old_values", "new_values", "ip_address", "user_agent")  # fmt: skip
    step = ("org_id", "id", "event_type", "event_id", "booking_id", "session_id",
            "user_agent", "referrer", "utm_source", "utm_medium", "utm_campaign", "metadata",
            "created_at")  # fmt: skip
    return new_booking_sql(
        (
            (OutboxMessage.__table__, outbox),
            (AuditLog.__table__, audit),
            (AnalyticsEvent.__table__, step),
        )
    )


# Half a year of past meetings, one an hour, with their finished message jobs, so tables,
# indexes and planner statistics look like a database in use rather than an empty one. (On
# an empty job table each connection's cached foreign-key check of new jobs' events plans a
# sequential scan, and keeps it while the table grows: 390 buffers per booking's job insert.)
HISTORY_SQL = """
    WITH tenant AS (SELECT set_config('app.org_id', %(org)s, true)),
    b AS (
        INSERT INTO oh_bookings (org_id, event_id, starts_at, ends_at, attendee_timezone,
                                 ical_uid, manage_token_hash)
        SELECT CAST(%(org)s AS uuid), %(event)s, at, at + interval '15 minutes', 'UTC',
               md5(at::text) || '@history', md5(at::text) || md5(at::text)
        FROM tenant, generate_series(now() - interval '183 days', now() - interval '1 day',
                                     interval '1 hour') AS at
        RETURNING org_id, id, starts_at, ends_at
    ), h AS (
        INSERT INTO oh_booking_hosts (org_id, booking_id, admin_id)
        SELECT org_id, id, %(host)s FROM b
    ), a AS (
        INSERT INTO oh_attendees (org_id, booking_id, name, email, timezone, is_guest)
        SELECT org_id, id, 'Past', 'past-' || md5(id::text) || '@example.com', 'UTC', false
        FROM b
    ), o AS (
        INSERT INTO oh_host_occupancy (org_id, admin_id, booking_id, during)
        SELECT org_id, %(host)s, id, tstzrange(starts_at, ends_at) FROM b
    )
    -- Their messages, sent: a confirmation to each reader and two reminders per booking.
    INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, scheduled_at, attempts)
    SELECT 'default', j.task, jsonb_build_object('org_id', b.org_id, 'booking_id', b.id),
           'succeeded', b.starts_at - j.ahead, 1
    FROM b, (VALUES ('notify.send', NULL::interval), ('notify.send', NULL),
                    ('notify.reminder', interval '24 hours'),
                    ('notify.reminder', interval '1 hour')) AS j(task, ahead)
"""


def fresh_database(server_url: str) -> str:
    """Drop and create the benchmark database; return its owner URL."""
    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return make_url(server_url).set(database=DB_NAME).render_as_string(hide_password=False)


def seed(owner_url: str, hosts: int, window_days: int) -> tuple[str, str]:
    """An organisation with `hosts` hosts open around the clock, each with its own 15-minute
    event (`load-0`, `load-1`, ...) bookable `window_days` ahead."""
    upgrade(make_engine(owner_url))
    app_url = app_url_for(owner_url)
    org = uuid.uuid4()
    pairs = []
    with tenant_session(make_engine(app_url), org) as s:
        s.add(Organization(id=org, name="Bench", slug="bench"))
        s.flush()
        for k in range(hosts):
            pairs.append(_host_and_event(s, org, k, window_days))
        # No personal limits: the server defaults (8 a day, 30 a week) would end the run.
        s.execute(
            text("UPDATE oh_admins SET max_meetings_per_day = NULL, max_meetings_per_week = NULL")
        )
    with psycopg.connect(libpq_url(owner_url)) as conn:
        for event_id, host in pairs:
            conn.execute(HISTORY_SQL, {"org": str(org), "event": event_id, "host": host})
    with psycopg.connect(libpq_url(owner_url), autocommit=True) as conn:
        conn.execute("ANALYZE")  # as autovacuum keeps a live database
        conn.execute("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, payload text)")
        conn.execute("GRANT INSERT ON bench_bare TO liveschool_app")
        conn.execute("GRANT USAGE ON SEQUENCE bench_bare_id_seq TO liveschool_app")
    return app_url, libpq_url(app_url)


def _host_and_event(
    s: Session, org: uuid.UUID, k: int, window_days: int
) -> tuple[uuid.UUID, uuid.UUID]:
    host = Admin(
        org_id=org,
        id=uuid.uuid4(),
        name=f"Load Host {k}",
        email=f"h{k}@bench.test",
        slug=f"h{k}",
        timezone="UTC",
        default_buffer_after=0,
    )
    s.add(host)
    s.flush()
    schedule = AvailabilitySchedule(
        org_id=org, admin_id=host.id, name="All day", timezone="UTC", is_default=True
    )
    s.add(schedule)
    s.flush()
    s.add_all(
        AvailabilityRule(
            org_id=org,
            schedule_id=schedule.id,
            weekday=d,
            start_time=wall(0),
            end_time=wall(23, 59),
        )
        for d in range(7)
    )
    event = Event(
        org_id=org,
        slug=f"load-{k}",
        title=f"Load {k}",
        duration_minutes=15,
        meeting_type=MeetingType.ONE_ON_ONE,
        min_notice_hours=0,
        booking_window_days=window_days,
        display_timezone="UTC",
    )
    s.add(event)
    s.flush()
    s.add(EventHost(org_id=org, event_id=event.id, admin_id=host.id, is_primary=True))
    return event.id, host.id


def serve(
    app_spec: str, port: int, env: dict[str, str], cwd: Path, opts: argparse.Namespace
) -> subprocess.Popen[bytes]:
    """The production server (`liveschool web`'s gunicorn command line, by default with its
    default workers and threads), the same way for every app; no access log, for none."""
    argv = gunicorn_argv(app_spec, "127.0.0.1", port, opts.workers, opts.threads)
    argv[-1:-1] = ["--log-level", "warning"]
    proc = subprocess.Popen(argv, env=env, cwd=cwd)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.2)
    time.sleep(0.5)
    if proc.poll() is not None:  # e.g. the port is held by a server left from another run
        raise SystemExit(f"{app_spec} did not start on port {port} (exit {proc.returncode})")
    return proc


def wrk(
    url: str,
    seconds: int,
    connections: int,
    script: str | None = None,
    args: list[str] | None = None,
) -> tuple[float, float, int]:
    """(requests/s, p99 ms, non-2xx count) from one wrk run."""
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        argv[1:1] = ["-s", script]
    out = subprocess.run(
        [*argv, *(["--", *args] if args else [])], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(errors.group(1)) if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=5, help="seconds per app, not counted")
    parser.add_argument("--workers", type=int, default=DEFAULTS.web_workers)
    parser.add_argument("--threads", type=int, default=DEFAULTS.web_threads)
    opts = parser.parse_args()
    # Stopped with SIGTERM (e.g. by `timeout`), still stop the servers in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    server = start_embedded(Config.from_env().var_dir / "bench-pg", database="postgres")
    owner_url = fresh_database(server)
    # Every round and the warm-up book their own part of the calendar (see the loop below).
    app_url, app_libpq = seed(owner_url, opts.hosts, ROUND_DAYS * (opts.rounds + 2))
    work = Path(tempfile.mkdtemp(prefix="liveschool-bench-"))
    (work / "bare_app.py").write_text(BARE_APP)
    (work / "floor_app.py").write_text(FLOOR_APP)
    (work / "post.lua").write_text(POST_SCRIPT)
    with psycopg.connect(libpq_url(owner_url)) as conn:
        rows = conn.execute(
            "SELECT e.org_id, e.slug, e.id, h.admin_id FROM oh_events e "
            "JOIN oh_event_hosts h ON h.org_id = e.org_id AND h.event_id = e.id"
        ).fetchall()
    org = rows[0][0]
    by_index = {int(slug.rsplit("-", 1)[1]): f"{e}:{h}" for _, slug, e, h in rows}
    floor_events = ",".join(by_index[k] for k in sorted(by_index))
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "APP_DATABASE_URL": app_url,
        "BOOKING_LIMIT_PER_IP": "100000000",
        "BOOKING_LIMIT_PER_EMAIL": "1000",
        "LOG_LEVEL": "WARNING",
        "BARE_DB": app_libpq,
        "FLOOR_ORG": str(org),
        "FLOOR_EVENTS": floor_events,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),  # the floor imports load
    }
    app = serve("booking_app.wsgi:app", 18080, env, ROOT, opts)
    bare = serve("bare_app:app", 18081, env, work, opts)
    floor = serve("floor_app:app", 18082, env, work, opts)
    try:
        today = datetime.now(UTC).date()
        start, end = today + timedelta(days=1), today + timedelta(days=7)
        slots_url = (
            f"http://127.0.0.1:18080/api/v1/public/events/load-0/slots?start={start}"
            f"&end={end}&timezone=America/New_York"
        )
        first = int(datetime.combine(today + timedelta(days=1), wall(0), UTC).timestamp())
        post, hosts = str(work / "post.lua"), str(opts.hosts)
        far_off = opts.rounds + 2  # the floor books past the route's booking window

        def one_round(k: int, seconds: int) -> dict[str, tuple[float, float, int]]:
            """Every app once; round k books its own 100 days of the calendar."""
            run = lambda *a, **kw: wrk(*a, seconds=seconds, connections=opts.connections, **kw)  # noqa: E731
            base, far = first + k * ROUND_DAYS * 86400, first + (k + far_off) * ROUND_DAYS * 86400
            return {
                "bare hello": run("http://127.0.0.1:18081/hello"),
                "bare insert": run(
                    "http://127.0.0.1:18081/insert", script=post, args=["0", "1", "/insert"]
                ),
                "slots (1 host, 7 days)": run(slots_url),
                "booking creation": run(
                    "http://127.0.0.1:18080/",
                    script=post,
                    args=[str(base), hosts, "/api/v1/public/events/load-%d/bookings"],
                ),
                "booking floor (its SQL)": run(
                    "http://127.0.0.1:18082/", script=post, args=[str(far), hosts, "/book/%d"]
                ),
            }

        if opts.warmup:
            one_round(opts.rounds, opts.warmup)  # after the rounds' parts of the calendar
        rounds = [one_round(k, opts.seconds) for k in range(opts.rounds)]
    finally:
        for proc in (app, bare, floor):
            proc.terminate()
            proc.wait()
    report(opts, rounds, owner_url)
    relayed, seconds = relay_everything(owner_url, app_url)
    print(f"  outbox relay: {relayed} events in {seconds:.1f} s = {relayed / seconds:.0f} events/s")


def relay_everything(owner_url: str, app_url: str) -> tuple[int, float]:
    """Relay every pending outbox event as the worker does; (events, seconds taken)."""
    owner, app = make_engine(owner_url), make_engine(app_url)
    try:
        began = time.perf_counter()
        relayed = relay_all(owner, app)
        return relayed, time.perf_counter() - began
    finally:
        owner.dispose()
        app.dispose()


def report(
    opts: argparse.Namespace, rounds: list[dict[str, tuple[float, float, int]]], owner_url: str
) -> None:
    """Print each round's figures, the medians and their ratios, and the double-booking check.

    The rounds interleave the apps, so a machine that slows down for a while (shared hosts
    do) moves every figure of a round alike; the medians are what to quote.
    """
    print(
        f"machine: {os.cpu_count()} cores; wrk {opts.connections} connections, "
        f"{opts.seconds}s each, {len(rounds)} rounds, bookings over {opts.hosts} hosts; "
        f"gunicorn {opts.workers} workers x {opts.threads} threads"
    )
    for n, figures in enumerate(rounds, 1):
        print(f"round {n}")
        for name, (rps, p99, bad) in figures.items():
            print(f"  {name:<24} {rps:9.1f} req/s   p99 {p99:8.1f} ms   non-2xx {bad}")
    rps = {name: statistics.median(r[name][0] for r in rounds) for name in rounds[0]}
    hello, insert, slots = rps["bare hello"], rps["bare insert"], rps["slots (1 host, 7 days)"]
    books, floor = rps["booking creation"], rps["booking floor (its SQL)"]
    print("medians")
    for name, value in rps.items():
        print(f"  {name:<24} {value:9.1f} req/s")
    print(f"  ratio slots / bare hello     {slots / hello:.2f}  (bar >= 0.35)")
    print(f"  ratio bookings / bare insert {books / insert:.2f}  (bar >= 0.35)")
    print(f"  ratio floor / bare insert    {floor / insert:.2f}  (what the SQL alone allows)")
    print(f"  ratio bookings / floor       {books / floor:.2f}")
    with psycopg.connect(libpq_url(owner_url)) as conn:
        overlaps = conn.execute(
            "SELECT count(*) FROM oh_host_occupancy a JOIN oh_host_occupancy b "
            "ON a.admin_id = b.admin_id AND a.id < b.id AND a.during && b.during"
        ).fetchone()
        made = conn.execute(
            "SELECT count(*) FROM oh_bookings "
            "WHERE ical_uid NOT LIKE '%@floor' AND ical_uid NOT LIKE '%@history'"
        ).fetchone()
    print(f"  bookings made {made[0]}, overlapping host bookings {overlaps[0]} (must be 0)")


if __name__ == "__main__":
    main()
