"""Every mart, recomputed by brute force in Python from the literal raw rows, must match.

The brute force walks the raw rows one by one with zoneinfo and plain loops, sharing
nothing with the SQL but the definitions written in each model's header comment.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.pipelines.literal import (
    AS_OF,
    E1,
    E2,
    H1,
    H2,
    ORG,
    ORG_B,
    literal_warehouse,
    raw_rows,
    u,
)

RAW = raw_rows()
ABANDON = timedelta(minutes=30)
HOST_PATTERN = re.compile(r"^[a-z][a-z0-9+.-]*://(www\.)?([^/:?#]+)")


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = literal_warehouse()
    yield connection
    connection.close()


def mart(con: duckdb.DuckDBPyConnection, name: str, key: tuple[str, ...]) -> dict[tuple, dict]:
    """The mart's rows keyed by its grain (session keys are left out: they are hashes)."""
    cursor = con.execute(f"SELECT * FROM {name}")
    columns = [d[0] for d in cursor.description]
    out = {}
    for values in cursor.fetchall():
        row = dict(zip(columns, values, strict=True))
        out[tuple(row[k] for k in key)] = row
    return out


def zone(org: uuid.UUID) -> ZoneInfo:
    return ZoneInfo(next(o["timezone"] for o in RAW["organizations"] if o["org_id"] == org))


def event_zone(event: uuid.UUID) -> ZoneInfo:
    return ZoneInfo(next(e["display_timezone"] for e in RAW["events"] if e["id"] == event))


def local_date(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month(day: date) -> date:
    return day.replace(day=1)


# --- brute-force sessions and bookings --------------------------------------------------


@dataclass
class Session:
    org: uuid.UUID
    event: uuid.UUID
    day: date
    first: dict[str, Any]
    steps: list[dict[str, Any]]

    def first_at(self, kind: str) -> datetime | None:
        return min((s["created_at"] for s in self.steps if s["event_type"] == kind), default=None)

    def has(self, kind: str) -> bool:
        return any(s["event_type"] == kind for s in self.steps)

    @property
    def is_manage(self) -> bool:
        return self.has("reschedule") or self.has("cancel")

    @property
    def referrer_host(self) -> str | None:
        found = HOST_PATTERN.match((self.first.get("referrer") or "").lower())
        return found.group(2) if found else None


def sessions() -> list[Session]:
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for step in RAW["analytics_events"]:
        if step["session_id"] is not None:
            grouped[(step["org_id"], step["session_id"])].append(step)
    out = []
    for (org, _), steps in grouped.items():
        first = min(steps, key=lambda s: (s["created_at"], s["id"]))
        out.append(
            Session(
                org, first["event_id"], local_date(first["created_at"], zone(org)), first, steps
            )
        )
    return out


def visits() -> list[Session]:
    return [s for s in sessions() if not s.is_manage]


def bookings() -> list[dict[str, Any]]:
    """Each booking with its attendee, first-time flag and feedback, computed naively."""
    rows = RAW["bookings"]
    by_id = {b["id"]: b for b in rows}
    attendee = {a["booking_id"]: a["email_digest"] for a in RAW["attendees"] if not a["is_guest"]}
    feedback = {f["booking_id"]: f for f in RAW["feedback"]}

    def root(b: dict) -> dict:
        while b.get("rescheduled_from_id"):
            b = by_id[b["rescheduled_from_id"]]
        return b

    def first_time(b: dict) -> bool:
        original = root(b)
        earlier = [
            o
            for o in rows
            if o["org_id"] == original["org_id"]
            and not o.get("rescheduled_from_id")
            and attendee.get(o["id"]) == attendee.get(original["id"])
            and (o["created_at"], o["id"]) < (original["created_at"], original["id"])
        ]
        return not earlier

    out = []
    for b in rows:
        ez, oz = event_zone(b["event_id"]), zone(b["org_id"])
        local = b["starts_at"].astimezone(ez)
        fb = feedback.get(b["id"], {})
        out.append(
            {
                **b,
                "source": b.get("source") or "unknown",
                "start_date": local_date(b["starts_at"], oz),
                "weekday": local.weekday(),
                "hour": local.hour,
                "first_time": first_time(b),
                "outcome": b["attendance"] in ("attended", "no_show"),
                "no_show": b["attendance"] == "no_show",
                "live": b["status"] in ("confirmed", "pending_approval"),
                "rating": fb.get("rating"),
                "nps": fb.get("nps_score"),
                "minutes": (b["ends_at"] - b["starts_at"]).total_seconds() / 60,
                "hosts": [
                    h["admin_id"] for h in RAW["booking_hosts"] if h["booking_id"] == b["id"]
                ],
            }
        )
    return out


# --- the marts --------------------------------------------------------------------------


def test_the_brute_force_sees_the_fixture_as_designed() -> None:
    found = {s.first["session_id"]: s for s in sessions()}
    assert found["s1"].day == date(2026, 2, 28)  # 03:00 UTC is still the 28th in New York
    assert found["s5"].is_manage
    assert found["s7"].event == E2  # same instant: the smaller step id wins
    assert found["s6"].first["utm_source"] == "linkedin"
    first_time = {b["id"]: b["first_time"] for b in bookings()}
    assert first_time[u(102)] is False and first_time[u(105)] is True
    assert first_time[u(110)] is True  # organisation B's d1 is somebody else


def test_funnel_daily(con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[tuple, Counter] = defaultdict(Counter)
    for s in visits():
        c = expected[(s.org, s.event, s.day)]
        started, completed = s.first_at("booking_started"), s.first_at("booking_completed")
        c["page_views"] += s.has("page_view")
        c["slot_views"] += s.has("slot_view")
        c["form_starts"] += started is not None
        c["bookings"] += completed is not None
        c["abandoned"] += bool(
            started
            and started + ABANDON <= AS_OF
            and (completed is None or completed > started + ABANDON)
        )
    found = mart(con, "mart_funnel_daily", ("org_id", "event_id", "day"))
    assert found.keys() == expected.keys()
    steps = ("page_views", "slot_views", "form_starts", "bookings", "abandoned")
    for key, counts in expected.items():
        assert {k: found[key][k] for k in steps} == {k: counts[k] for k in steps}, key
    assert sum(r["abandoned"] for r in found.values()) == 2  # s2, and s3 booked too late


def test_source_attribution(con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[tuple, Counter] = defaultdict(Counter)
    for s in visits():
        host = s.referrer_host
        key = (
            s.org,
            s.day,
            s.event,
            s.first.get("utm_source") or host or "(direct)",
            s.first.get("utm_medium") or "(none)",
            s.first.get("utm_campaign") or "(none)",
            host or "(none)",
        )
        expected[key]["sessions"] += 1
        expected[key]["conversions"] += s.has("booking_completed")
    grain = ("org_id", "day", "event_id", "source", "medium", "campaign", "referrer_host")
    found = mart(con, "mart_source_attribution", grain)
    assert {k: (r["sessions"], r["conversions"]) for k, r in found.items()} == {
        k: (c["sessions"], c["conversions"]) for k, c in expected.items()
    }
    assert ("t.co" in {k[3] for k in found}) and ("google" in {k[3] for k in found})


def test_time_to_book(con: duckdb.DuckDBPyConnection) -> None:
    expected = {}
    for s in visits():
        viewed, completed = s.first_at("page_view"), s.first_at("booking_completed")
        if viewed and completed and completed >= viewed:
            booking = next(
                x["booking_id"] for x in s.steps if x["event_type"] == "booking_completed"
            )
            expected[(s.org, booking)] = (completed - viewed).total_seconds()
    found = mart(con, "mart_time_to_book", ("org_id", "booking_id"))
    assert {k: r["seconds_to_book"] for k, r in found.items()} == expected
    assert expected[(ORG, u(108))] == 45 * 60


def test_popular_times(con: duckdb.DuckDBPyConnection) -> None:
    expected = Counter(
        (b["org_id"], b["event_id"], b["start_date"], b["weekday"], b["hour"])
        for b in bookings()
        if b["status"] != "rescheduled"
    )
    grain = ("org_id", "event_id", "start_date", "weekday", "hour")
    found = mart(con, "mart_popular_times", grain)
    assert {k: r["bookings"] for k, r in found.items()} == dict(expected)
    # 23:30 UTC on Tuesday 3 March is 23:30 in London (GMT); 12:00 UTC on 30 March is BST.
    assert (ORG, E1, date(2026, 3, 3), 1, 23) in found
    assert (ORG, E1, date(2026, 3, 30), 0, 13) in found


def test_no_shows(con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[tuple, Counter] = defaultdict(Counter)
    for b in bookings():
        if b["outcome"]:
            key = (
                b["org_id"],
                b["event_id"],
                b["start_date"],
                b["hour"],
                b["source"],
                b["first_time"],
            )
            expected[key]["outcomes"] += 1
            expected[key]["no_shows"] += b["no_show"]
    grain = ("org_id", "event_id", "start_date", "hour", "source", "is_first_time")
    found = mart(con, "mart_no_shows", grain)
    assert {k: (r["outcomes"], r["no_shows"]) for k, r in found.items()} == {
        k: (c["outcomes"], c["no_shows"]) for k, c in expected.items()
    }
    assert sum(r["no_shows"] for r in found.values()) == 1


def test_feedback_weekly(con: duckdb.DuckDBPyConnection) -> None:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for b in bookings():
        if b["rating"] is not None:
            groups[(b["org_id"], monday(b["start_date"]), b["event_id"])].append(b)
    found = mart(con, "mart_feedback_weekly", ("org_id", "week", "event_id"))
    assert found.keys() == groups.keys()
    for key, rows in groups.items():
        scores = [r["nps"] for r in rows if r["nps"] is not None]
        promoters = sum(s >= 9 for s in scores)
        detractors = sum(s <= 6 for s in scores)
        row = found[key]
        assert row["responses"] == len(rows)
        assert row["avg_rating"] == pytest.approx(sum(r["rating"] for r in rows) / len(rows))
        assert (row["promoters"], row["detractors"]) == (promoters, detractors)
        expected_nps = 100 * (promoters - detractors) / len(scores) if scores else None
        assert row["nps"] == (pytest.approx(expected_nps) if scores else None)
    week = found[(ORG, date(2026, 3, 2), E1)]  # ratings 5 (NPS 10), 1 (8) and 4 (none)
    assert (week["responses"], week["nps"]) == (3, 50.0)


def test_host_leaderboard(con: duckdb.DuckDBPyConnection) -> None:
    expected: dict[tuple, Counter] = defaultdict(Counter)
    for b in bookings():
        for host in b["hosts"]:
            c = expected[(b["org_id"], monday(b["start_date"]), host, b["event_id"])]
            c["bookings"] += b["live"]
            c["cancellations"] += b["status"] == "cancelled"
            c["attended"] += b["attendance"] == "attended"
            c["no_shows"] += b["no_show"]
            c["ratings"] += b["rating"] is not None
            c["rating_sum"] += b["rating"] or 0
    found = mart(con, "mart_host_leaderboard", ("org_id", "week", "host_id", "event_id"))
    measures = ("bookings", "cancellations", "attended", "no_shows", "ratings", "rating_sum")
    assert {k: tuple(r[m] for m in measures) for k, r in found.items()} == {
        k: tuple(c[m] for m in measures) for k, c in expected.items()
    }
    assert found[(ORG, date(2026, 3, 2), H2, E1)]["no_shows"] == 1  # both hosts of 102


def test_team_utilisation(con: duckdb.DuckDBPyConnection) -> None:
    available: Counter = Counter()
    for s in RAW["schedules"]:
        if s["is_default"]:
            for r in RAW["availability_rules"]:
                if r["schedule_id"] == s["id"]:
                    start = r["start_time"].hour * 60 + r["start_time"].minute
                    end = r["end_time"].hour * 60 + r["end_time"].minute
                    available[(s["org_id"], s["admin_id"])] += end - start
    meetings = {
        (b["org_id"], host, b.get("slot_id") or b["id"]): (monday(b["start_date"]), b["minutes"])
        for b in bookings()
        if b["live"]
        for host in b["hosts"]
    }
    booked: Counter = Counter()
    for (org, host, _), (week, minutes) in meetings.items():
        booked[(org, host, week)] += minutes
    expected = {}
    for org in {k[0] for k in meetings}:
        weeks = [w for (o, _, _), (w, _) in meetings.items() if o == org]
        week = min(weeks)
        while week <= max(weeks):
            for (o, host), minutes in available.items():
                if o == org:
                    done = booked[(org, host, week)]
                    expected[(org, host, week)] = (done, minutes, done / minutes)
            week += timedelta(days=7)
    found = mart(con, "mart_team_utilisation", ("org_id", "host_id", "week"))
    assert {
        k: (r["booked_minutes"], r["available_minutes"], pytest.approx(r["utilisation"]))
        for k, r in found.items()
    } == expected
    assert expected[(ORG, H1, date(2026, 3, 2))][0] == 30 + 30 + 60  # the session counts once
    assert expected[(ORG, H2, date(2026, 3, 2))][1] == 180


def test_trends(con: duckdb.DuckDBPyConnection) -> None:
    facts = []
    for b in bookings():
        oz = zone(b["org_id"])
        if not b.get("rescheduled_from_id"):
            facts.append((b["org_id"], b["event_id"], "bookings", local_date(b["created_at"], oz)))
        if b["status"] == "cancelled" and b.get("cancelled_at"):
            facts.append(
                (b["org_id"], b["event_id"], "cancellations", local_date(b["cancelled_at"], oz))
            )
        if b["attendance"] == "attended":
            facts.append((b["org_id"], b["event_id"], "attended", b["start_date"]))
        if b["no_show"]:
            facts.append((b["org_id"], b["event_id"], "no_shows", b["start_date"]))
    for s in visits():
        facts.append((s.org, s.event, "sessions", s.day))
        if s.has("booking_completed"):
            facts.append((s.org, s.event, "conversions", s.day))
    values: Counter = Counter()
    for org, event, metric, day in facts:
        values[(org, "week", monday(day), event, metric)] += 1
        values[(org, "month", month(day), event, metric)] += 1

    def previous(key: tuple) -> int:
        org, grain, start, event, metric = key
        if grain == "week":
            before = start - timedelta(days=7)
        else:
            before = (start - timedelta(days=1)).replace(day=1)
        return values.get((org, grain, before, event, metric), 0)

    found = mart(con, "mart_trends", ("org_id", "grain", "period_start", "event_id", "metric"))
    assert {k: (r["value"], r["previous_value"]) for k, r in found.items()} == {
        k: (v, previous(k)) for k, v in values.items()
    }
    for key, row in found.items():
        before = previous(key)
        assert row["change"] == (
            pytest.approx((row["value"] - before) / before) if before else None
        )
    assert found[(ORG, "week", date(2026, 3, 9), E2, "sessions")]["value"] == 1
    assert found[(ORG, "week", date(2026, 3, 2), E2, "sessions")]["change"] is None


def test_question_texts_keep_only_free_text(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT answer_id, event_id, text FROM int_question_texts").fetchall()
    assert rows == [(u(601), E1, "visa help")]


def test_organisations_never_mix(con: duckdb.DuckDBPyConnection) -> None:
    found = mart(con, "mart_funnel_daily", ("org_id", "event_id", "day"))
    assert {k[0] for k in found} == {ORG, ORG_B}
    b = con.execute(
        "SELECT is_first_time, attendee_digest FROM int_bookings WHERE org_id = $org",
        {"org": ORG_B},
    ).fetchall()
    assert b == [(True, "d1")]
