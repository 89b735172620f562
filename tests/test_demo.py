"""The demo organisation: deterministic build, idempotent seeding, shape and invariants in SQL."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from scheduling.db.tenant import tenant_session
from scheduling.demo import (
    DEMO_ORG_ID,
    DemoData,
    SeedResult,
    build_demo,
    seed_demo,
    write_demo_files,
)
from scheduling.models import Booking, BookingHost
from scheduling.models.enums import Attendance, BookingStatus, MeetingType, QuestionType

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, tzinfo=UTC)
ZONES = {"America/New_York": 5, "Europe/London": 4, "Australia/Sydney": 3}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    """The demo built for TODAY with the default seed."""
    return build_demo(TODAY)


@pytest.fixture(scope="module")
def seeded(database: Any) -> Iterator[tuple[Any, SeedResult]]:
    """The run's database with the demo seeded once for this module, emptied afterwards.

    ANALYZE (as the owner, like autovacuum would) gives the planner statistics for the
    checks below; without them it nests loops over tens of thousands of rows.
    """
    result = seed_demo(database.app_engine, TODAY)
    with database.owner_engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    yield database, result
    database.truncate_all()


def rows(db: Any, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a query run as the application role inside the demo tenant."""
    with tenant_session(db.app_engine, DEMO_ORG_ID) as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def table_counts(db: Any, demo: DemoData) -> dict[str, int]:
    """Row count per table, as the demo tenant sees it."""
    with tenant_session(db.app_engine, DEMO_ORG_ID) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model, _ in demo.tables()
        }


class Undo(Exception):
    """Raised to roll back a deliberately broken transaction."""


# --- pure build ---------------------------------------------------------------------------


def test_same_day_and_seed_give_identical_data(demo: DemoData) -> None:
    again = build_demo(TODAY)
    assert again == demo
    assert again.bookings[0]["id"] == demo.bookings[0]["id"]


def test_another_seed_or_day_gives_other_data(demo: DemoData) -> None:
    other_seed = build_demo(TODAY, seed=7)
    next_day = build_demo(TODAY + timedelta(days=1))
    starts = [b["starts_at"] for b in demo.bookings]
    assert [b["starts_at"] for b in other_seed.bookings] != starts
    assert [b["starts_at"] for b in next_day.bookings] != starts
    assert other_seed.admins == demo.admins  # hosts are content, not chance


def test_hosts_teams_and_events(demo: DemoData) -> None:
    assert len(demo.admins) == 12
    assert Counter(a["timezone"] for a in demo.admins) == ZONES
    assert all(a["email"].endswith("@northwind-learning.example") for a in demo.admins)
    assert {t["name"] for t in demo.teams} == {"Admissions", "Tutoring", "Partnerships"}
    assert demo.organizations[0]["slug"] == "northwind"
    kinds = Counter(e["meeting_type"] for e in demo.events)
    assert set(kinds) == set(MeetingType)
    assert kinds[MeetingType.ONE_ON_ONE] >= 5
    assert sum(e["require_approval"] for e in demo.events) == 1
    assert {q["question_type"] for q in demo.questions} == set(QuestionType)
    zone_of = {a["id"]: a["timezone"] for a in demo.admins}
    primary = {h["event_id"]: h["admin_id"] for h in demo.event_hosts if h["is_primary"]}
    assert all(e["display_timezone"] == zone_of[primary[e["id"]]] for e in demo.events)


def test_availability_has_overrides_and_time_off(demo: DemoData) -> None:
    assert len(demo.availability_schedules) == 12
    days_off = [o for o in demo.availability_overrides if o["start_time"] is None]
    changed = [o for o in demo.availability_overrides if o["start_time"] is not None]
    assert len(changed) == 12
    assert len(days_off) >= 12
    assert len({t["admin_id"] for t in demo.time_off}) == 12
    weekdays = {r["weekday"] for r in demo.availability_rules}
    assert weekdays == {0, 1, 2, 3, 4, 5}  # one tutor works Saturday mornings


def test_bookings_span_six_months_back_and_four_weeks_ahead(demo: DemoData) -> None:
    starts = [b["starts_at"] for b in demo.bookings]
    assert 2500 <= len(demo.bookings) <= 6000
    assert NOW - timedelta(days=183) <= min(starts) <= NOW - timedelta(days=175)
    assert NOW + timedelta(days=21) <= max(starts) <= NOW + timedelta(days=28)
    future = [s for s in starts if s > NOW]
    assert len(future) >= 100
    assert {(s - NOW).days // 7 for s in future} == {0, 1, 2, 3}


def test_every_status_and_attendance_present(demo: DemoData) -> None:
    statuses = Counter(b["status"] for b in demo.bookings)
    assert set(statuses) == set(BookingStatus)
    assert statuses[BookingStatus.CONFIRMED] > 0.8 * len(demo.bookings)
    assert 100 <= statuses[BookingStatus.CANCELLED] <= 0.15 * len(demo.bookings)
    assert statuses[BookingStatus.RESCHEDULED] >= 50
    attendance = Counter(b["attendance"] for b in demo.bookings)
    assert set(attendance) == set(Attendance)
    assert 0.05 < attendance[Attendance.NO_SHOW] / attendance[Attendance.ATTENDED] < 0.35
    assert sum(a["is_guest"] for a in demo.attendees) >= 100
    assert len({b["attendee_timezone"] for b in demo.bookings}) >= 30


def test_engagement_rows(demo: DemoData) -> None:
    attended = sum(b["attendance"] is Attendance.ATTENDED for b in demo.bookings)
    assert 0.35 * attended <= len(demo.feedback) <= 0.6 * attended
    assert all(1 <= f["rating"] <= 5 for f in demo.feedback)
    assert all(f["nps_score"] is None or 0 <= f["nps_score"] <= 10 for f in demo.feedback)
    assert len(demo.booking_tags) > 200
    assert len(demo.tasks) > 50
    assert len(demo.notes) > 100


def test_topics_are_labelled_and_clusterable(demo: DemoData) -> None:
    text_of = {a["id"]: a["value"] for a in demo.answers}
    labelled = [(text_of[t["answer_id"]], t["topic"]) for t in demo.demo_answer_topics]
    topics = Counter(topic for _, topic in labelled)
    assert len(topics) == 10
    assert min(topics.values()) >= 50
    assert len({t for t, _ in labelled}) > 0.6 * len(labelled)  # phrasing varies
    matrix = TfidfVectorizer(stop_words="english").fit_transform([t for t, _ in labelled])
    clusters = KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(matrix)
    assert adjusted_rand_score([topic for _, topic in labelled], clusters) >= 0.7


def test_files_hold_the_same_rows(demo: DemoData, tmp_path: Path) -> None:
    paths = write_demo_files(demo, tmp_path)
    counts = demo.counts()
    assert len(paths) == len(counts) == 24
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == counts[path.stem], path.name
    with (tmp_path / "oh_analytics_events.jsonl").open(encoding="utf-8") as events:
        first_event = json.loads(events.readline())
    assert "metadata" in first_event
    assert "metadata_" not in first_event


# --- seeded database: the invariants later constraints will enforce ------------------------

ACTIVE = "('confirmed', 'pending_approval')"

OVERLAPS = f"""
WITH occ AS (
    SELECT b.id, b.slot_id, bh.admin_id,
           tstzrange(b.starts_at - make_interval(mins => b.buffer_before),
                     b.ends_at + make_interval(mins => b.buffer_after)) AS span
    FROM oh_bookings b
    JOIN oh_booking_hosts bh ON (bh.org_id, bh.booking_id) = (b.org_id, b.id)
    WHERE b.status IN {ACTIVE}
)
SELECT x.id, y.id, x.admin_id FROM occ x
JOIN occ y ON y.admin_id = x.admin_id AND x.id < y.id AND x.span && y.span
WHERE x.slot_id IS NULL OR y.slot_id IS NULL OR x.slot_id <> y.slot_id
"""

MULTI_HOST = """
SELECT booking_id FROM oh_booking_hosts GROUP BY booking_id HAVING count(*) > 1
"""

EARLIEST_ONE_ON_ONE = f"""
SELECT b.id, b.event_id, b.ends_at, bh.admin_id FROM oh_bookings b
JOIN oh_booking_hosts bh ON (bh.org_id, bh.booking_id) = (b.org_id, b.id)
JOIN oh_events e ON (e.org_id, e.id) = (b.org_id, b.event_id)
WHERE b.status IN {ACTIVE} AND b.buffer_after > 1 AND e.meeting_type = 'one_on_one'
ORDER BY b.starts_at LIMIT 1
"""

SESSION_SEATS = f"""
SELECT s.capacity, count(a.id) FROM oh_slots s
JOIN oh_bookings b ON (b.org_id, b.slot_id) = (s.org_id, s.id) AND b.status IN {ACTIVE}
JOIN oh_attendees a ON (a.org_id, a.booking_id) = (b.org_id, b.id)
GROUP BY s.id, s.capacity
"""

OFF_SESSION_TIMES = """
SELECT b.id FROM oh_bookings b JOIN oh_slots s ON (s.org_id, s.id) = (b.org_id, b.slot_id)
WHERE b.starts_at <> s.starts_at OR b.ends_at <> s.ends_at OR s.is_cancelled
"""

OUTSIDE_HOURS = f"""
WITH l AS (
    SELECT b.id, s.id AS schedule_id,
           b.starts_at AT TIME ZONE a.timezone AS ls, b.ends_at AT TIME ZONE a.timezone AS le
    FROM oh_bookings b
    JOIN oh_booking_hosts bh ON (bh.org_id, bh.booking_id) = (b.org_id, b.id)
    JOIN oh_admins a ON (a.org_id, a.id) = (bh.org_id, bh.admin_id)
    JOIN oh_availability_schedules s
      ON (s.org_id, s.admin_id) = (a.org_id, a.id) AND s.is_default
    WHERE b.status IN {ACTIVE}
)
SELECT l.id FROM l
WHERE l.ls::date <> l.le::date OR NOT CASE
    WHEN EXISTS (SELECT 1 FROM oh_availability_overrides o
                 WHERE o.schedule_id = l.schedule_id AND o.day = l.ls::date)
    THEN EXISTS (SELECT 1 FROM oh_availability_overrides o
                 WHERE o.schedule_id = l.schedule_id AND o.day = l.ls::date
                   AND o.start_time <= l.ls::time AND l.le::time <= o.end_time)
    ELSE EXISTS (SELECT 1 FROM oh_availability_rules r
                 WHERE r.schedule_id = l.schedule_id
                   AND r.weekday = EXTRACT(ISODOW FROM l.ls) - 1
                   AND r.start_time <= l.ls::time AND l.le::time <= r.end_time)
END
"""

IN_TIME_OFF = f"""
SELECT b.id FROM oh_bookings b
JOIN oh_booking_hosts bh ON (bh.org_id, bh.booking_id) = (b.org_id, b.id)
JOIN oh_time_off t ON (t.org_id, t.admin_id) = (bh.org_id, bh.admin_id)
 AND tstzrange(t.starts_at, t.ends_at) && tstzrange(b.starts_at, b.ends_at)
WHERE b.status IN {ACTIVE}
"""

MEETINGS = f"""
SELECT DISTINCT bh.admin_id, COALESCE(b.slot_id, b.id) AS meeting,
       (b.starts_at AT TIME ZONE a.timezone)::date AS day,
       a.max_meetings_per_day AS max_day, a.max_meetings_per_week AS max_week
FROM oh_bookings b
JOIN oh_booking_hosts bh ON (bh.org_id, bh.booking_id) = (b.org_id, b.id)
JOIN oh_admins a ON (a.org_id, a.id) = (bh.org_id, bh.admin_id)
WHERE b.status IN {ACTIVE}
"""
HOST_DAYS = f"SELECT max_day, count(*) FROM ({MEETINGS}) m GROUP BY admin_id, day, max_day"
HOST_WEEKS = f"""
SELECT max_week, count(*) FROM ({MEETINGS}) m
GROUP BY admin_id, date_trunc('week', day), max_week
"""
EVENT_DAYS = f"""
SELECT e.max_daily_bookings, count(*) FROM oh_bookings b
JOIN oh_events e ON (e.org_id, e.id) = (b.org_id, b.event_id)
WHERE b.status IN {ACTIVE} AND e.max_daily_bookings IS NOT NULL
GROUP BY e.id, (b.starts_at AT TIME ZONE e.display_timezone)::date, e.max_daily_bookings
"""

BAD_TIMESTAMPS = """
SELECT b.id FROM oh_bookings b JOIN oh_events e ON (e.org_id, e.id) = (b.org_id, b.event_id)
WHERE b.created_at > b.starts_at - make_interval(hours => e.min_notice_hours)
   OR b.starts_at - b.created_at > make_interval(days => e.booking_window_days)
   OR b.created_at > :now OR b.updated_at < b.created_at OR b.updated_at > :now
"""

BAD_RESCHEDULES = """
SELECT n.id FROM oh_bookings n
JOIN oh_bookings o ON (o.org_id, o.id) = (n.org_id, n.rescheduled_from_id)
WHERE o.status <> 'rescheduled' OR n.created_at <> o.updated_at OR n.event_id <> o.event_id
"""

STATUS_FACTS = """
SELECT count(*) FILTER (WHERE status = 'rescheduled'),
       count(*) FILTER (WHERE rescheduled_from_id IS NOT NULL),
       count(*) FILTER (WHERE status = 'cancelled'
                        AND (cancelled_at IS NULL OR cancelled_by IS NULL
                             OR cancelled_at > starts_at)),
       count(*) FILTER (WHERE starts_at > :now AND attendance <> 'unknown'),
       count(*) FILTER (WHERE attendance <> 'unknown' AND status <> 'confirmed')
FROM oh_bookings
"""

APPROVAL_STATUSES = """
SELECT e.require_approval, b.status::text, count(*) FROM oh_bookings b
JOIN oh_events e ON (e.org_id, e.id) = (b.org_id, b.event_id)
GROUP BY 1, 2
"""

FUNNELS = """
WITH steps AS (
    SELECT org_id, session_id,
           min(created_at) FILTER (WHERE event_type = 'page_view') AS viewed,
           min(created_at) FILTER (WHERE event_type = 'booking_started') AS started,
           min(created_at) FILTER (WHERE event_type = 'booking_completed') AS completed,
           count(*) FILTER (WHERE event_type = 'booking_completed') AS completions,
           (array_agg(booking_id) FILTER (WHERE event_type = 'booking_completed'))[1] AS booking
    FROM oh_analytics_events WHERE session_id IS NOT NULL GROUP BY org_id, session_id
)
SELECT s.session_id FROM steps s
LEFT JOIN oh_bookings b ON (b.org_id, b.id) = (s.org_id, s.booking)
WHERE s.completions > 0 AND (s.completions > 1 OR b.id IS NULL
   OR s.viewed IS NULL OR s.viewed >= s.completed OR s.started IS NULL OR s.started >= s.completed)
"""

UNATTRIBUTED = """
WITH done AS (SELECT * FROM oh_analytics_events WHERE event_type = 'booking_completed')
SELECT b.id FROM oh_bookings b
LEFT JOIN done c ON (c.org_id, c.booking_id) = (b.org_id, b.id)
WHERE b.rescheduled_from_id IS NULL AND (c.id IS NULL
   OR c.created_at NOT BETWEEN b.created_at - interval '5 minutes' AND b.created_at
   OR c.utm_source IS DISTINCT FROM b.utm_source
   OR c.utm_medium IS DISTINCT FROM b.utm_medium
   OR c.utm_campaign IS DISTINCT FROM b.utm_campaign
   OR c.referrer IS DISTINCT FROM b.referrer)
"""

COMPLETED = "SELECT count(*) FROM oh_analytics_events WHERE event_type = 'booking_completed'"

CONVERSION = """
SELECT coalesce(utm_source, referrer, 'direct'),
       count(DISTINCT session_id) FILTER (WHERE event_type = 'booking_completed')::float
         / count(DISTINCT session_id)
FROM oh_analytics_events
WHERE event_type IN ('page_view', 'booking_completed') AND session_id IS NOT NULL
  AND coalesce(metadata->>'path', '') <> '/manage'
GROUP BY 1
"""


def test_seed_writes_everything_once(seeded: Any, demo: DemoData) -> None:
    db, result = seeded
    assert result.created
    assert result.counts == demo.counts()
    assert table_counts(db, demo) == demo.counts()
    again = seed_demo(db.app_engine, TODAY + timedelta(days=3))
    assert again == SeedResult(created=False)
    assert table_counts(db, demo) == demo.counts()


def test_host_bookings_never_overlap_with_buffers(seeded: Any) -> None:
    db = seeded[0]
    assert len(rows(db, MULTI_HOST)) >= 50  # collective and panel bookings are included
    assert rows(db, OVERLAPS) == []


def _earliest_one_on_one(session: Session) -> dict[str, Any]:
    """The earliest active one-on-one booking that has a buffer after it, with its host."""
    booking_id, event_id, ends_at, host = session.execute(text(EARLIEST_ONE_ON_ONE)).one()
    return {"id": booking_id, "event_id": event_id, "ends_at": ends_at, "host": host}


def test_overlap_check_catches_a_clash_in_a_buffer(seeded: Any) -> None:
    db = seeded[0]
    with pytest.raises(Undo), tenant_session(db.app_engine, DEMO_ORG_ID) as session:
        victim = _earliest_one_on_one(session)
        clash = {
            "org_id": DEMO_ORG_ID,
            "event_id": victim["event_id"],
            "starts_at": victim["ends_at"],  # inside the victim's buffer after
            "ends_at": victim["ends_at"] + timedelta(minutes=1),
            "buffer_before": 0,
            "buffer_after": 0,
        }
        new_id = session.execute(insert(Booking).returning(Booking.id), [clash]).scalar_one()
        host_row = {"org_id": DEMO_ORG_ID, "booking_id": new_id, "admin_id": victim["host"]}
        session.execute(insert(BookingHost), [host_row])
        found = [(r[2], {r[0], r[1]}) for r in session.execute(text(OVERLAPS))]
        assert found == [(victim["host"], {victim["id"], new_id})]
        raise Undo


def test_group_sessions_respect_capacity_and_times(seeded: Any) -> None:
    db = seeded[0]
    seats = rows(db, SESSION_SEATS)
    assert len(seats) > 100
    assert [r for r in seats if r[1] > r[0]] == []
    assert max(r[1] / r[0] for r in seats) >= 0.8
    assert rows(db, OFF_SESSION_TIMES) == []
    weeks = rows(db, "SELECT count(DISTINCT date_trunc('week', starts_at)) FROM oh_slots")
    assert weeks[0][0] >= 29


def test_bookings_inside_working_hours_and_not_in_time_off(seeded: Any) -> None:
    db = seeded[0]
    assert rows(db, OUTSIDE_HOURS) == []
    assert rows(db, IN_TIME_OFF) == []


def test_working_hours_check_catches_a_night_meeting(seeded: Any) -> None:
    db = seeded[0]
    shift = (
        "UPDATE oh_bookings SET starts_at = starts_at + interval '12 hours', "
        "ends_at = ends_at + interval '12 hours' WHERE id = :id"
    )
    with pytest.raises(Undo), tenant_session(db.app_engine, DEMO_ORG_ID) as session:
        victim = _earliest_one_on_one(session)
        session.execute(text(shift), {"id": victim["id"]})
        assert [r[0] for r in session.execute(text(OUTSIDE_HOURS))] == [victim["id"]]
        raise Undo


def test_host_and_event_limits(seeded: Any) -> None:
    db = seeded[0]
    per_day = rows(db, HOST_DAYS)
    assert [r for r in per_day if r[1] > r[0]] == []
    assert any(r[1] == r[0] for r in per_day)  # some days are full
    per_week = rows(db, HOST_WEEKS)
    assert [r for r in per_week if r[1] > r[0]] == []
    assert any(r[1] == r[0] for r in per_week)  # and some weeks
    event_days = rows(db, EVENT_DAYS)
    assert event_days
    assert [r for r in event_days if r[1] > r[0]] == []


def test_booking_times_follow_notice_window_and_history(seeded: Any) -> None:
    db = seeded[0]
    assert rows(db, BAD_TIMESTAMPS, now=NOW) == []
    assert rows(db, BAD_RESCHEDULES) == []
    facts = rows(db, STATUS_FACTS, now=NOW)[0]
    assert facts[0] == facts[1] > 0
    assert facts[2:] == (0, 0, 0)


def test_approval_event_holds_pending_and_declined(seeded: Any) -> None:
    found = {(r[0], r[1]): r[2] for r in rows(seeded[0], APPROVAL_STATUSES)}
    assert found[(True, "pending_approval")] > 0
    assert found[(True, "declined")] > 0
    assert found[(True, "confirmed")] > found[(True, "declined")]
    assert (False, "pending_approval") not in found
    assert (False, "declined") not in found


def test_completed_bookings_follow_a_funnel(seeded: Any) -> None:
    db = seeded[0]
    completed = rows(db, COMPLETED)
    assert completed[0][0] > 2500
    assert rows(db, FUNNELS) == []
    assert rows(db, UNATTRIBUTED) == []


def test_sources_convert_at_different_rates(seeded: Any) -> None:
    db = seeded[0]
    rates = dict(rows(db, CONVERSION))
    assert rates["direct"] > 0.3
    assert rates["google"] < 0.2
    assert rates["linkedin"] < rates["newsletter"]
    changes = dict(
        rows(
            db,
            "SELECT event_type, count(*) FROM oh_analytics_events "
            "WHERE event_type IN ('reschedule', 'cancel') GROUP BY 1",
        )
    )
    statuses = dict(rows(db, "SELECT status::text, count(*) FROM oh_bookings GROUP BY 1"))
    assert changes == {"reschedule": statuses["rescheduled"], "cancel": statuses["cancelled"]}


def test_demo_bookings_hold_host_time_like_service_bookings(seeded: Any) -> None:
    """Every live demo booking occupies its hosts, so the engine never offers that time."""
    from scheduling.booking import get_event, list_slots, verify_attendee
    from scheduling.booking.tokens import manage_token
    from scheduling.config import get_config
    from scheduling.db import tenant_session
    from scheduling.models import Booking, BookingStatus, Event

    db = seeded[0]
    expected = rows(
        db,
        """
        SELECT (SELECT count(*) FROM oh_booking_hosts h JOIN oh_bookings b ON b.id = h.booking_id
                WHERE b.slot_id IS NULL AND b.status IN ('confirmed', 'pending_approval'))
             + (SELECT count(DISTINCT slot_id) FROM oh_bookings
                WHERE slot_id IS NOT NULL AND status IN ('confirmed', 'pending_approval'))""",
    )
    assert rows(db, "SELECT count(*) FROM oh_host_occupancy") == expected
    with tenant_session(db.app_engine, DEMO_ORG_ID) as s:
        booking = s.scalars(
            select(Booking)
            .where(
                Booking.status == BookingStatus.CONFIRMED,
                Booking.slot_id.is_(None),
                Booking.starts_at > NOW,
            )
            .order_by(Booking.starts_at)
        ).first()
        assert booking is not None
        token = manage_token(get_config().resolved_secret_key(), booking.id)
        assert verify_attendee(s, booking.id, token).id == booking.id
        slug = s.scalar(select(Event.slug).where(Event.id == booking.event_id))
        event = get_event(s, slug=slug)
        offered = list_slots(s, event, booking.starts_at, booking.ends_at, now=NOW)
    assert all(slot.start != booking.starts_at for slot in offered)
