"""The public API contract: shapes and every status code, and a race over HTTP."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from psycopg import pq
from sqlalchemy import event, select, text, update
from werkzeug.serving import make_server

from booking_app import create_app
from scheduling.booking import BookingRequest, create_booking, get_event
from scheduling.db import make_engine, tenant_session
from scheduling.jobs import libpq_url
from scheduling.models import Admin, Event, MeetingType, TimeOff
from scheduling.public import COUNT_SQL, Attempt
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_question, make_org

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)  # Friday 07:00 in New York
MONDAY_10 = datetime(2026, 11, 30, 10, tzinfo=NY)


@dataclass
class Api:
    app: Flask
    client: FlaskClient
    question: str
    org: uuid.UUID

    def book(
        self, slug: str = "intro", headers: dict[str, str] | None = None, **fields: Any
    ) -> Any:
        body = {
            "start": MONDAY_10.isoformat(),
            "timezone": "Asia/Tokyo",
            "name": "Kenji Sato",
            "email": "kenji@example.jp",
            "answers": {self.question: "Visa"},
        } | fields
        return self.client.post(
            f"/api/v1/public/events/{slug}/bookings", json=body, headers=headers or {}
        )


def make_api(db: TestDatabase, **config: Any) -> Api:
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ada = add_host(s, org, "Ada Host", "America/New_York")
        intro = add_event(s, org, [ada], "intro", booking_window_days=30)
        question = str(add_question(s, org, intro, "Topic", required=True).id)
        add_event(s, org, [ada], "group-chat", MeetingType.GROUP, capacity=4)
    app = create_app(
        {
            "APP_DATABASE_URL": db.app_url,
            "SECRET_KEY": "api-test",
            "CLOCK": lambda: NOW,
            "SERVER_NAME": "book.acme.test",
        }
        | config
    )
    return Api(app, app.test_client(), question, org)


@pytest.fixture
def api(db: TestDatabase) -> Api:
    return make_api(db)


def test_slots_are_grouped_by_day_in_the_requested_zone(api: Api) -> None:
    response = api.client.get(
        "/api/v1/public/events/intro/slots?start=2026-11-30&end=2026-12-01&timezone=Asia/Tokyo"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["timezone"] == "Asia/Tokyo"
    assert body["event"]["slug"] == "intro"
    assert body["event"]["hosts"] == [{"name": "Ada Host", "slug": "ada-host"}]
    assert body["event"]["questions"][0]["label"] == "Topic"
    # New York 09:00-17:00 is 23:00-07:00 in Tokyo: Monday NY spans Tue and Wed in Tokyo,
    # and Tuesday 1 Dec NY (Wed 2 Dec in Tokyo) falls outside the asked dates.
    assert sorted(body["days"]) == ["2026-11-30", "2026-12-01"]
    assert body["days"]["2026-11-30"][0] == {
        "start": "2026-11-30T23:00:00+09:00",
        "end": "2026-11-30T23:30:00+09:00",
        "seats_remaining": 1,
    }
    assert len(body["days"]["2026-11-30"]) == 2  # 23:00 and 23:30 on Monday in Tokyo
    assert body["days"]["2026-12-01"][0]["start"] == "2026-12-01T00:00:00+09:00"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-11-30&end=2026-11-29", "end"),
        ("start=yesterday&end=2026-12-01", "start"),
        ("end=2026-12-01", "start"),
        ("start=2026-11-30&end=2026-12-01&timezone=Mars/Base", "timezone"),
        ("start=2026-01-01&end=2026-12-01", "end"),
    ],
)
def test_bad_slot_queries_are_422_with_field_errors(api: Api, query: str, field: str) -> None:
    response = api.client.get(f"/api/v1/public/events/intro/slots?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"]["code"] == "invalid_request"
    assert field in body["errors"]


def test_unknown_event_is_404(api: Api) -> None:
    for response in (
        api.client.get("/api/v1/public/events/nope/slots?start=2026-11-30&end=2026-11-30"),
        api.book(slug="nope"),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "event_not_found"


def test_booking_is_201_with_times_in_the_attendee_zone(api: Api) -> None:
    response = api.book(headers={"Idempotency-Key": "abc"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "confirmed"
    assert (body["start"], body["end"]) == (
        "2026-12-01T00:00:00+09:00",
        "2026-12-01T00:30:00+09:00",
    )
    assert (body["timezone"], body["hosts"]) == ("Asia/Tokyo", ["Ada Host"])
    assert body["manage_url"].startswith(f"http://book.acme.test/booking/{body['uid']}?token=")
    assert response.headers["Idempotent-Replayed"] == "false"
    again = api.book(headers={"Idempotency-Key": "abc"})
    assert (again.status_code, again.get_json()["uid"]) == (201, body["uid"])
    assert again.headers["Idempotent-Replayed"] == "true"


def test_taken_slot_is_409_with_a_message_to_show(api: Api) -> None:
    assert api.book().status_code == 201
    response = api.book(email="other@example.com")
    assert response.status_code == 409
    assert response.get_json()["error"] == {
        "code": "slot_taken",
        "message": "Sorry, that time was just taken. Please pick another time.",
    }


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"email": "nope"}, {"email": "Please enter a valid email address."}),
        # Accepted, it could not be written into a mail header: the confirmation would fail.
        ({"email": "aiko-23:00@example.jp"}, {"email": "Please enter a valid email address."}),
        ({"timezone": "Mars/Base"}, {"timezone": "Unknown time zone 'Mars/Base'."}),
        ({"start": "tomorrow"}, {"start": "Use an ISO 8601 time like 2026-12-01T10:00:00-05:00."}),
        ({"guests": ["a@x.test"]}, {"guests": "This event does not allow guests."}),
        ({"name": ""}, {"name": "This field is required."}),
    ],
)
def test_invalid_bookings_are_422_with_field_errors(
    api: Api, fields: dict[str, Any], errors: dict[str, str]
) -> None:
    response = api.book(**fields)
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors


def test_off_grid_start_is_422_with_a_reason(api: Api) -> None:
    response = api.book(start="2026-11-30T10:07:00-05:00")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "slot_unavailable"


def test_malformed_json_is_400(api: Api) -> None:
    response = api.client.post(
        "/api/v1/public/events/intro/bookings", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_rate_limit_is_429_per_email(db: TestDatabase) -> None:
    api = make_api(db, BOOKING_LIMIT_PER_EMAIL=2)
    codes = [api.book(start=f"2026-11-30T{h}:00:00-05:00").status_code for h in (10, 11, 12)]
    assert codes == [201, 201, 429]
    limited = api.book(start="2026-11-30T13:00:00-05:00")
    assert limited.headers["Retry-After"] == "3600"
    assert limited.get_json()["error"]["code"] == "rate_limited"


def test_refused_attempts_count_towards_the_rate_limit(db: TestDatabase) -> None:
    api = make_api(db, BOOKING_LIMIT_PER_EMAIL=2)
    refused = [api.book(start="2026-11-30T10:07:00-05:00").status_code for _ in range(2)]
    assert refused == [422, 422]
    assert api.book().status_code == 429
    with tenant_session(db.app_engine, api.org) as s:
        counts = dict(
            s.execute(text("SELECT bucket, sum(count) FROM oh_rate_limits GROUP BY bucket")).all()
        )
    assert counts == {"booking:email": 3, "booking:ip": 3}


def test_a_count_is_the_sum_of_its_shards_one_per_server_process(db: TestDatabase) -> None:
    """Attempts from one address over several connections land on each server process's
    own row, and every attempt sees the sum: the third of three is past a limit of two."""
    org = make_org(db)
    over, pids = [], []
    for _ in range(3):
        with psycopg.connect(libpq_url(db.app_url), autocommit=True) as raw:
            attempt = Attempt(org, [("booking:ip", "10.0.0.1", 2)], now=NOW)
            with raw.pipeline():
                attempt.queue(raw)
            over.append(attempt.over())
            pids.append(raw.info.backend_pid)
    assert over == [False, False, True]
    with tenant_session(db.app_engine, org) as s:
        rows = s.execute(text("SELECT shard, count FROM oh_rate_limits")).all()
    assert {shard for shard, _ in rows} == {pid % 16 for pid in pids}
    assert sum(count for _, count in rows) == 3


def test_the_count_plans_generically_inside_its_own_transaction_only(db: TestDatabase) -> None:
    """The count's queries keep one generic plan (migration 0018: custom plans cost 0.14 ms
    a call under load); the setting ends with the count's transaction, so the booking's
    transaction after it plans as it would anyway."""
    org = make_org(db)
    params = {"org": org, "window_start": NOW, "buckets": ["booking:ip"], "keys": ["10.0.0.2"]}
    with psycopg.connect(libpq_url(db.app_url), autocommit=True) as raw:
        with raw.pipeline():  # one implicit transaction: no Sync until the pipeline ends
            counted = raw.execute(COUNT_SQL, params)
            setting = raw.execute("SELECT current_setting('plan_cache_mode')")
            raw.execute("COMMIT")
        inside = setting.fetchone()
        after = raw.execute("SELECT current_setting('plan_cache_mode')").fetchone()
        assert counted.fetchall() == [("booking:ip", "10.0.0.2", 1)]
    assert inside == ("force_generic_plan",)
    assert after == ("auto",)


def test_a_booking_records_its_completion_step_once(api: Api) -> None:
    uid = api.book(headers={"Idempotency-Key": "k1"}).get_json()["uid"]
    assert api.book(headers={"Idempotency-Key": "k1"}).headers["Idempotent-Replayed"] == "true"
    assert api.book(email="late@example.com").status_code == 409
    with tenant_session(api.app.extensions["liveschool.engine"], api.org) as s:
        steps = s.execute(
            text("SELECT event_type, booking_id FROM oh_analytics_events ORDER BY created_at")
        ).all()
    assert [(kind, str(booking)) for kind, booking in steps] == [("booking_completed", uid)]


def test_the_completion_step_carries_the_campaign_of_the_request_body(api: Api) -> None:
    utm = {"source": "newsletter", "medium": "email", "campaign": "spring-open-day"}
    uid = api.book(utm=utm).get_json()["uid"]
    with tenant_session(api.app.extensions["liveschool.engine"], api.org) as s:
        step = s.execute(
            text(
                "SELECT utm_source, utm_medium, utm_campaign FROM oh_analytics_events "
                "WHERE booking_id = :b"
            ),
            {"b": uid},
        ).one()
        booked = s.execute(
            text("SELECT utm_source, utm_medium, utm_campaign FROM oh_bookings WHERE id = :b"),
            {"b": uid},
        ).one()
    assert tuple(step) == tuple(booked) == ("newsletter", "email", "spring-open-day")


def test_a_booking_waits_on_the_database_twice_and_leaves_its_connection_as_it_found_it(
    api: Api, tmp_path: Path
) -> None:
    """libpq's own protocol trace of the request's connection: each Sync is a wait for the
    server. The first carries the rate-limit count's transaction (one statement and its
    COMMIT), the booking's BEGIN, the organisation entered with its configuration version,
    and the re-check's read; the second the booking's statement and COMMIT, with no savepoint
    (`explicit_transactions`). Seven statements in all: under load, each costs the web
    process far more than the server's work for it."""
    engine = api.app.extensions["liveschool.engine"]
    with tenant_session(engine, api.org) as s:  # no daily or weekly limit: no locks to wait for
        s.execute(update(Admin).values(max_meetings_per_day=None, max_meetings_per_week=None))
    api.book(start=MONDAY_10.replace(hour=11).isoformat())  # the event's setup, now known
    trace = tmp_path / "libpq.trace"
    traced: list[Any] = []

    def trace_checkout(dbapi: Any, *_: Any) -> None:
        dbapi.pgconn.trace((handle := trace.open("w")).fileno())
        dbapi.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        traced.append((dbapi, handle))

    event.listen(engine, "checkout", trace_checkout)
    try:
        assert api.book().status_code == 201
    finally:
        event.remove(engine, "checkout", trace_checkout)
        for dbapi, handle in traced:
            dbapi.pgconn.untrace()
            handle.close()
    trips: list[list[str]] = [[]]  # the first words of the statements sent before each Sync
    lines = trace.read_text().splitlines()
    for n, line in enumerate(lines):
        fields = line.split("\t")
        if fields[0] == "F" and fields[2] == "Sync":
            trips.append([])
        elif fields[0] == "F" and fields[2] == "Parse":
            text_ = fields[3].split('"" "', 1)[1].strip() or lines[n + 1].strip()
            trips[-1].append(" ".join(text_.split('"')[0].split()[:2]))
    assert trips == [
        ["SELECT bucket,", "COMMIT", "BEGIN", "SELECT oh_enter_tenant($1,", "WITH occupied"],
        ["WITH b", "COMMIT"],
        [],
    ]
    ((dbapi, _),) = traced
    assert dbapi.autocommit is False
    with engine.connect() as conn:  # and the pool hands it out in its usual mode
        assert conn.connection.driver_connection.autocommit is False


def test_self_service_reschedule_and_cancel_need_the_token(api: Api) -> None:
    booked = api.book().get_json()
    token = booked["manage_url"].split("token=")[1]
    base = f"/api/v1/public/bookings/{booked['uid']}"
    assert api.client.post(f"{base}/cancel", json={}).status_code == 401
    wrong = api.client.post(f"{base}/cancel", json={}, headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 403
    moved = api.client.post(
        f"{base}/reschedule",
        headers={"Authorization": f"Bearer {token}"},
        json={"start": "2026-12-01T01:00:00", "timezone": "Asia/Tokyo"},
    )
    assert moved.status_code == 200
    new = moved.get_json()
    assert (new["start"], new["status"]) == ("2026-12-01T01:00:00+09:00", "confirmed")
    assert new["uid"] != booked["uid"]
    stale = api.client.post(f"{base}/cancel", json={}, headers={"Authorization": f"Bearer {token}"})
    assert stale.status_code == 409  # the old booking was rescheduled
    new_token = new["manage_url"].split("token=")[1]
    cancelled = api.client.post(
        f"/api/v1/public/bookings/{new['uid']}/cancel",
        json={"reason": "Plans changed"},
        headers={"Authorization": f"Bearer {new_token}"},
    )
    assert (cancelled.status_code, cancelled.get_json()["status"]) == (200, "cancelled")
    unknown = api.client.post(
        f"/api/v1/public/bookings/{uuid.uuid4()}/cancel",
        json={},
        headers={"Authorization": f"Bearer {new_token}"},
    )
    assert unknown.status_code == 403


def test_openapi_document_describes_every_route(api: Api) -> None:
    doc = api.client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert sorted(doc["paths"]) == [
        "/public/bookings/{uid}/cancel",
        "/public/bookings/{uid}/reschedule",
        "/public/events/{slug}/bookings",
        "/public/events/{slug}/slots",
    ]
    create = doc["paths"]["/public/events/{slug}/bookings"]["post"]
    assert sorted(create["responses"]) == ["201", "400", "404", "409", "422", "429"]
    refs = {
        r["content"]["application/json"]["schema"]["$ref"] for r in create["responses"].values()
    }
    assert refs == {"#/components/schemas/Booking", "#/components/schemas/Error"}
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/public/events/{slug}/slots" in page.get_data(as_text=True)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """`app` on a threaded local HTTP server; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def post_together(
    url: str, bodies: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """POST every body at once (released by a barrier); (status, JSON reply) of each."""
    barrier = threading.Barrier(len(bodies))

    def post(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        req = urllib.request.Request(  # noqa: S310 (local)
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (local)
                return int(resp.status), json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def attendee(i: int, question: str | None = None) -> dict[str, Any]:
    """Attendee i's booking of Monday 10:00 New York time (answering `question`, if given)."""
    return {
        "start": MONDAY_10.isoformat(),
        "timezone": "UTC",
        "name": f"C{i}",
        "email": f"c{i}@example.com",
        "answers": {question: "x"} if question else {},
    }


def test_many_clients_one_slot_over_http(db: TestDatabase) -> None:
    api = make_api(db, SERVER_NAME=None)
    with serving(api.app) as base:
        replies = post_together(
            f"{base}/api/v1/public/events/intro/bookings",
            [attendee(i, api.question) for i in range(24)],
        )
    assert Counter(code for code, _ in replies) == Counter({201: 1, 409: 23})


def test_round_robin_racers_over_http_move_on_to_the_next_free_host(db: TestDatabase) -> None:
    """Racers may all pick the first host; a loser's booking begins a new transaction and
    tries the next host (the booking's pipeline carries no savepoint)."""
    api = make_api(db, SERVER_NAME=None)
    with tenant_session(db.app_engine, api.org) as s:
        hosts = [add_host(s, api.org, f"Rr Host {n}", "America/New_York") for n in range(3)]
        add_event(s, api.org, hosts, "rr", MeetingType.ROUND_ROBIN)
    with serving(api.app) as base:
        replies = post_together(
            f"{base}/api/v1/public/events/rr/bookings",
            [attendee(i) for i in range(18)],
        )
    assert Counter(code for code, _ in replies) == Counter({201: 3, 409: 15})
    assert sorted(tuple(reply["hosts"]) for code, reply in replies if code == 201) == [
        ("Rr Host 0",),
        ("Rr Host 1",),
        ("Rr Host 2",),
    ]


def test_the_same_request_raced_over_http_books_once(db: TestDatabase) -> None:
    """Ten sends of one request (one Idempotency-Key) at once: the losers find the key taken,
    begin a new transaction, and answer with the winner's booking."""
    api = make_api(db, SERVER_NAME=None)
    with serving(api.app) as base:
        replies = post_together(
            f"{base}/api/v1/public/events/intro/bookings",
            [attendee(0, api.question)] * 10,
            headers={"Idempotency-Key": "one-click"},
        )
    assert [code for code, _ in replies] == [201] * 10
    assert len({reply["uid"] for _, reply in replies}) == 1
    with tenant_session(db.app_engine, api.org) as s:
        assert s.scalar(text("SELECT count(*) FROM oh_bookings")) == 1


def book_while_another_holds_the_time(
    api: Api, db: TestDatabase, slug: str, held_key: str | None = None, **fields: Any
) -> Any:
    """An API booking whose first round trip cannot see a booking of the same time that
    another transaction has written but not committed: its write waits on that one's lock,
    which is then committed, so the request loses the race deterministically. (The hosts
    have no daily or weekly limit: with one, the request would wait on the other's advisory
    lock before reading, and see its booking.)"""
    with tenant_session(db.app_engine, api.org) as s:
        s.execute(update(Admin).values(max_meetings_per_day=None, max_meetings_per_week=None))
    with tenant_session(db.app_engine, api.org) as s:
        holder = BookingRequest(
            start=MONDAY_10,
            name="First",
            email=str(fields.get("email", "first@example.com")),
            timezone="UTC",
            answers={api.question: "x"} if slug == "intro" else {},
            idempotency_key=held_key,
        )
        create_booking(s, api.org, get_event(s, slug=slug), holder, now=NOW)
        replies: list[Any] = []
        thread = threading.Thread(target=lambda: replies.append(api.book(slug, **fields)))
        thread.start()
        _wait_for_a_lock_wait(db)
    thread.join(timeout=30)
    return replies[0]


def _wait_for_a_lock_wait(db: TestDatabase) -> None:
    for _ in range(200):
        with db.owner_engine.connect() as conn:
            if conn.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ):
                return
        time.sleep(0.02)
    raise AssertionError("The booking never waited for the other transaction.")


def test_a_lost_race_for_the_last_host_is_409(api: Api, db: TestDatabase) -> None:
    reply = book_while_another_holds_the_time(api, db, "intro")
    assert reply.status_code == 409
    assert reply.get_json()["error"]["code"] == "slot_taken"


def test_a_round_robin_booking_that_loses_its_host_takes_the_next(
    api: Api, db: TestDatabase
) -> None:
    """The booking's pipeline carries no savepoint: after the lost race it begins a new
    transaction in the organisation and books the next free host there."""
    with tenant_session(db.app_engine, api.org) as s:
        hosts = [add_host(s, api.org, f"Rr Host {n}", "America/New_York") for n in range(2)]
        add_event(s, api.org, hosts, "rr", MeetingType.ROUND_ROBIN)
    assert api.book("rr", answers={}, start="2026-11-30T11:00:00-05:00").status_code == 201
    reply = book_while_another_holds_the_time(api, db, "rr", answers={})
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["hosts"] == ["Rr Host 1"]
    with tenant_session(db.app_engine, api.org) as s:
        assert s.scalar(text("SELECT count(*) FROM oh_bookings")) == 3


def test_a_retry_that_finds_its_key_just_committed_answers_with_that_booking(
    api: Api, db: TestDatabase
) -> None:
    reply = book_while_another_holds_the_time(
        api,
        db,
        "intro",
        held_key="one-click",
        headers={"Idempotency-Key": "one-click"},
        start=MONDAY_10.isoformat(),
        timezone="UTC",
        email="first@example.com",
    )
    assert reply.status_code == 201, reply.get_json()
    assert reply.headers["Idempotent-Replayed"] == "true"
    with tenant_session(db.app_engine, api.org) as s:
        assert s.scalar(text("SELECT id::text FROM oh_bookings")) == reply.get_json()["uid"]


def test_a_booking_request_needs_one_pooled_connection_only(db: TestDatabase) -> None:
    """On a cold start the organisation is looked up too; with one connection in the pool a
    request that held one while asking for another would wait out the pool's timeout (a
    burst of first requests would starve each other that way)."""
    api = make_api(db)
    api.app.extensions["liveschool.engine"] = make_engine(
        db.app_url, pool_size=1, max_overflow=0, pool_timeout=2
    )
    api.app.extensions.pop("liveschool.org_id", None)
    started = time.monotonic()
    response = api.book()
    assert response.status_code == 201, response.get_json()
    assert time.monotonic() - started < 2
    assert api.book(email="second@example.jp", start="2026-11-30T11:00:00-05:00").status_code == 201


def test_cached_slots_drop_a_time_as_soon_as_it_is_booked_here(api: Api) -> None:
    url = "/api/v1/public/events/intro/slots?start=2026-11-30&end=2026-11-30"
    before = api.client.get(url).get_json()["days"]["2026-11-30"]
    assert before[2]["start"] == "2026-11-30T10:00:00-05:00"
    assert api.book().status_code == 201
    after = api.client.get(url).get_json()["days"]["2026-11-30"]
    assert [s["start"] for s in after] == [s["start"] for s in before if s != before[2]]


def test_ttl_cache_expires_and_evicts() -> None:
    from booking_app.cache import TtlCache

    cache = TtlCache(ttl=0.05, max_entries=2)
    org = uuid.uuid4()
    cache.put((org, "a"), b"1")
    cache.put((org, "b"), b"2")
    cache.put((org, "c"), b"3")
    assert (cache.get((org, "a")), cache.get((org, "c"))) == (None, b"3")
    cache.drop_org(org)
    assert cache.get((org, "c")) is None
    cache.put((org, "d"), b"4")
    time.sleep(0.06)
    assert cache.get((org, "d")) is None
    assert TtlCache(ttl=0).get("x") is None


def test_a_new_required_question_applies_to_the_next_booking(api: Api) -> None:
    assert api.book().status_code == 201  # the event's setup is now kept in memory
    with tenant_session(api.app.extensions["liveschool.engine"], api.org) as s:
        intro = s.scalars(select(Event).where(Event.slug == "intro")).one()
        added = str(add_question(s, api.org, intro, "Grade", required=True).id)
    response = api.book(start="2026-11-30T11:00:00-05:00", email="second@example.com")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {f"answers.{added}": "This question needs an answer."}


def test_a_longer_duration_applies_to_the_next_booking(api: Api) -> None:
    assert api.book().status_code == 201
    with tenant_session(api.app.extensions["liveschool.engine"], api.org) as s:
        s.execute(update(Event).where(Event.slug == "intro").values(duration_minutes=60))
    body = api.book(start="2026-11-30T11:00:00-05:00", email="second@example.com").get_json()
    assert (body["start"], body["end"]) == (
        "2026-12-01T01:00:00+09:00",
        "2026-12-01T02:00:00+09:00",
    )


def test_time_off_taken_after_a_booking_is_seen_by_the_next_one(api: Api) -> None:
    # The second request sends its re-check with its BEGIN, built from the setup the first
    # one left in memory: the read must still see what committed in between.
    assert api.book().status_code == 201
    with tenant_session(api.app.extensions["liveschool.engine"], api.org) as s:
        ada = s.scalars(select(Admin).where(Admin.name == "Ada Host")).one()
        s.add(
            TimeOff(
                org_id=api.org,
                admin_id=ada.id,
                starts_at=datetime(2026, 11, 30, 11, tzinfo=NY),
                ends_at=datetime(2026, 11, 30, 12, tzinfo=NY),
            )
        )
    response = api.book(start="2026-11-30T11:00:00-05:00", email="second@example.com")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "slot_taken"
    assert api.book(start="2026-11-30T12:00:00-05:00", email="third@example.com").status_code == 201
