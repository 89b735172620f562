"""A small literal warehouse: raw rows of two organisations, written out as data.

Organisation A counts its days in New York; its two events read popular times in London and
New York, across both daylight-saving changes of March 2026 (US: 8 March, UK: 29 March).
The rows cover every booking status, a reschedule chain, a group session, a guest, a
returning attendee, feedback with and without a score, an abandoned form, a booking made
more than 30 minutes after starting the form, a form started too recently to count as
abandoned, a visit that manages a booking, a step without a session and two first steps at
the same instant. Organisation B shares an attendee digest with A, to show they never mix.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time
from typing import Any

import duckdb

from pipelines import warehouse as wh
from pipelines.models import run_models
from pipelines.sources import SOURCE_BY_NAME


def u(n: int) -> uuid.UUID:
    """A readable fixed id."""
    return uuid.UUID(int=n)


def t(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A UTC instant in 2026."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


ORG, ORG_B = u(1), u(2)
E1, E2, E3 = u(11), u(12), u(13)
H1, H2, H3 = u(21), u(22), u(23)
TEAM = u(31)
SLOT = u(41)
AS_OF = t(3, 9, 14, 10)
PARAMS = {"as_of": AS_OF, "abandon_minutes": 30}

ROWS: dict[str, list[dict[str, Any]]] = {
    "organizations": [
        {"org_id": ORG, "name": "A", "timezone": "America/New_York"},
        {"org_id": ORG_B, "name": "B", "timezone": "UTC"},
    ],
    "hosts": [
        {"org_id": ORG, "id": H1, "name": "Ada", "timezone": "America/New_York"},
        {"org_id": ORG, "id": H2, "name": "Ben", "timezone": "Europe/London"},
        {"org_id": ORG_B, "id": H3, "name": "Cy", "timezone": "UTC"},
    ],
    "teams": [{"org_id": ORG, "id": TEAM, "name": "Admissions", "slug": "admissions"}],
    "team_members": [{"org_id": ORG, "id": u(32), "team_id": TEAM, "admin_id": H1}],
    "events": [
        {"org_id": ORG, "id": E1, "title": "Intro call", "display_timezone": "Europe/London"},
        {"org_id": ORG, "id": E2, "title": "Office hours", "display_timezone": "America/New_York"},
        {"org_id": ORG_B, "id": E3, "title": "B call", "display_timezone": "UTC"},
    ],
    "event_hosts": [
        {"org_id": ORG, "event_id": E1, "admin_id": H1, "is_primary": True},
        {"org_id": ORG, "event_id": E1, "admin_id": H2, "is_primary": False},
        {"org_id": ORG, "event_id": E2, "admin_id": H2, "is_primary": True},
        {"org_id": ORG_B, "event_id": E3, "admin_id": H3, "is_primary": True},
    ],
    "schedules": [
        {"org_id": ORG, "id": u(51), "admin_id": H1, "is_default": True},
        {"org_id": ORG, "id": u(52), "admin_id": H2, "is_default": True},
        {"org_id": ORG, "id": u(53), "admin_id": H1, "is_default": False},
    ],
    "availability_rules": [
        *(
            {
                "org_id": ORG,
                "id": u(60 + d),
                "schedule_id": u(51),
                "weekday": d,
                "start_time": time(9),
                "end_time": time(17),
            }
            for d in range(5)
        ),
        {
            "org_id": ORG,
            "id": u(66),
            "schedule_id": u(52),
            "weekday": 0,
            "start_time": time(9),
            "end_time": time(12),
        },
        {
            "org_id": ORG,
            "id": u(67),
            "schedule_id": u(53),
            "weekday": 5,
            "start_time": time(8),
            "end_time": time(20),
        },
    ],
    "bookings": [
        {
            "id": u(101),
            "event_id": E1,
            "status": "confirmed",
            "attendance": "attended",
            "starts_at": t(3, 2, 14),
            "ends_at": t(3, 2, 14, 30),
            "created_at": t(2, 27, 10),
            "source": "direct",
        },
        {
            "id": u(102),
            "event_id": E1,
            "status": "confirmed",
            "attendance": "no_show",
            "starts_at": t(3, 3, 23, 30),
            "ends_at": t(3, 4, 0),
            "created_at": t(3, 1, 3, 5),
            "source": "paid_search",
        },
        {
            "id": u(103),
            "event_id": E2,
            "status": "cancelled",
            "attendance": "unknown",
            "starts_at": t(3, 9, 4, 30),
            "ends_at": t(3, 9, 5, 30),
            "created_at": t(3, 5, 9),
            "cancelled_at": t(3, 6, 15),
            "source": "email",
        },
        {
            "id": u(104),
            "event_id": E2,
            "status": "rescheduled",
            "attendance": "unknown",
            "starts_at": t(3, 10, 15),
            "ends_at": t(3, 10, 16),
            "created_at": t(3, 6, 9),
            "source": "social",
        },
        {
            "id": u(105),
            "event_id": E2,
            "status": "confirmed",
            "attendance": "attended",
            "starts_at": t(3, 12, 15),
            "ends_at": t(3, 12, 16),
            "created_at": t(3, 7, 9),
            "rescheduled_from_id": u(104),
            "source": "social",
        },
        {
            "id": u(106),
            "event_id": E1,
            "status": "confirmed",
            "attendance": "unknown",
            "starts_at": t(3, 5, 13),
            "ends_at": t(3, 5, 14),
            "created_at": t(3, 4, 8),
            "slot_id": SLOT,
            "source": None,
        },
        {
            "id": u(107),
            "event_id": E1,
            "status": "confirmed",
            "attendance": "attended",
            "starts_at": t(3, 5, 13),
            "ends_at": t(3, 5, 14),
            "created_at": t(3, 4, 9),
            "slot_id": SLOT,
            "source": "referral",
        },
        {
            "id": u(108),
            "event_id": E2,
            "status": "declined",
            "attendance": "unknown",
            "starts_at": t(3, 4, 16),
            "ends_at": t(3, 4, 17),
            "created_at": t(3, 2, 8),
            "source": "direct",
        },
        {
            "id": u(109),
            "event_id": E1,
            "status": "pending_approval",
            "attendance": "unknown",
            "starts_at": t(3, 30, 12),
            "ends_at": t(3, 30, 12, 30),
            "created_at": t(3, 20, 8),
            "source": "direct",
        },
        {
            "org_id": ORG_B,
            "id": u(110),
            "event_id": E3,
            "status": "confirmed",
            "attendance": "attended",
            "starts_at": t(3, 3, 10),
            "ends_at": t(3, 3, 11),
            "created_at": t(3, 1, 10),
            "source": "direct",
        },
    ],
    "booking_hosts": [
        {"booking_id": u(101), "admin_id": H1},
        {"booking_id": u(102), "admin_id": H1},
        {"booking_id": u(102), "admin_id": H2},
        {"booking_id": u(103), "admin_id": H2},
        {"booking_id": u(104), "admin_id": H2},
        {"booking_id": u(105), "admin_id": H2},
        {"booking_id": u(106), "admin_id": H1},
        {"booking_id": u(107), "admin_id": H1},
        {"booking_id": u(108), "admin_id": H2},
        {"booking_id": u(109), "admin_id": H1},
        {"org_id": ORG_B, "booking_id": u(110), "admin_id": H3},
    ],
    "attendees": [
        {"id": u(201), "booking_id": u(101), "email_digest": "d1"},
        {"id": u(202), "booking_id": u(102), "email_digest": "d1"},
        {"id": u(203), "booking_id": u(103), "email_digest": "d2"},
        {"id": u(204), "booking_id": u(104), "email_digest": "d3"},
        {"id": u(205), "booking_id": u(105), "email_digest": "d3"},
        {"id": u(206), "booking_id": u(106), "email_digest": "d2"},
        {"id": u(207), "booking_id": u(107), "email_digest": "d4"},
        {"id": u(208), "booking_id": u(108), "email_digest": "d5"},
        {"id": u(209), "booking_id": u(108), "email_digest": "a0", "is_guest": True},
        {"id": u(210), "booking_id": u(109), "email_digest": "d1"},
        {"org_id": ORG_B, "id": u(211), "booking_id": u(110), "email_digest": "d1"},
    ],
    "feedback": [
        {"id": u(301), "booking_id": u(101), "rating": 5, "nps_score": 10},
        {"id": u(302), "booking_id": u(105), "rating": 3, "nps_score": 6},
        {"id": u(303), "booking_id": u(107), "rating": 4, "nps_score": None},
        {"id": u(304), "booking_id": u(102), "rating": 1, "nps_score": 8},
        {"org_id": ORG_B, "id": u(305), "booking_id": u(110), "rating": 2, "nps_score": 0},
    ],
    "tags": [{"org_id": ORG, "id": u(401), "name": "vip"}],
    "booking_tags": [{"booking_id": u(101), "tag_id": u(401)}],
    "questions": [
        {"id": u(501), "event_id": E1, "label": "What?", "question_type": "textarea"},
        {"id": u(502), "event_id": E1, "label": "Code", "question_type": "text"},
    ],
    "answers": [
        {"id": u(601), "booking_id": u(101), "question_id": u(501), "value": " visa help "},
        {"id": u(602), "booking_id": u(101), "question_id": u(502), "value": "MATH 1"},
        {"id": u(603), "booking_id": u(102), "question_id": u(501), "value": ""},
        {"id": u(604), "booking_id": u(107), "question_id": u(501), "value": ["a", "b"]},
    ],
}


def _event(
    n: int, kind: str, at: datetime, session: str | None, event: uuid.UUID, **extra: Any
) -> dict[str, Any]:
    return {
        "id": u(n),
        "event_type": kind,
        "created_at": at,
        "session_id": session,
        "event_id": event,
        **extra,
    }


GOOGLE = {
    "utm_source": "google",
    "utm_medium": "cpc",
    "utm_campaign": "spring",
    "referrer": "https://www.Google.com/search?q=x",
}
ROWS["analytics_events"] = [
    _event(701, "page_view", t(3, 1, 3, 0), "s1", E1, **GOOGLE),
    _event(702, "slot_view", t(3, 1, 3, 1), "s1", E1, **GOOGLE),
    _event(703, "booking_started", t(3, 1, 3, 2), "s1", E1, **GOOGLE),
    _event(704, "booking_completed", t(3, 1, 3, 5), "s1", E1, booking_id=u(102), **GOOGLE),
    _event(711, "page_view", t(3, 1, 15, 0), "s2", E1, referrer="https://t.co/abc"),
    _event(712, "slot_view", t(3, 1, 15, 2), "s2", E1, referrer="https://t.co/abc"),
    _event(713, "booking_started", t(3, 1, 15, 5), "s2", E1, referrer="https://t.co/abc"),
    _event(721, "page_view", t(3, 2, 14, 0), "s3", E2),
    _event(722, "booking_started", t(3, 2, 14, 10), "s3", E2),
    _event(723, "booking_completed", t(3, 2, 14, 45), "s3", E2, booking_id=u(108)),
    _event(
        731,
        "page_view",
        t(3, 2, 16, 0),
        "s4",
        E2,
        utm_source="newsletter",
        utm_medium="email",
        utm_campaign="march",
    ),
    _event(741, "page_view", t(3, 3, 10, 0), "s5", E1),
    _event(742, "reschedule", t(3, 3, 10, 5), "s5", E1, booking_id=u(104)),
    _event(751, "slot_view", t(3, 9, 13, 0), "s6", E2, utm_source="linkedin", utm_medium="social"),
    _event(752, "page_view", t(3, 9, 13, 1), "s6", E2, utm_source="other"),
    _event(753, "booking_started", t(3, 9, 13, 50), "s6", E2, utm_source="other"),
    _event(761, "cancel", t(3, 6, 15, 0), None, E2, booking_id=u(103)),
    _event(772, "page_view", t(3, 4, 12, 0), "s7", E1, utm_source="duck"),
    _event(771, "page_view", t(3, 4, 12, 0), "s7", E2, utm_source="bing"),
    _event(781, "page_view", t(3, 2, 9, 0), "s8", E3, org_id=ORG_B),
    _event(782, "booking_completed", t(3, 2, 9, 3), "s8", E3, org_id=ORG_B, booking_id=u(110)),
]


DEFAULTS: dict[str, dict[str, Any]] = {
    "hosts": {"is_host": True, "is_active": True},
    "events": {"is_active": True, "duration_minutes": 30},
    "attendees": {"is_guest": False},
}


def raw_rows() -> dict[str, list[dict[str, Any]]]:
    """Every raw table's rows, with org_id defaulting to organisation A."""
    return {
        name: [{"org_id": ORG, **DEFAULTS.get(name, {}), **row} for row in rows]
        for name, rows in ROWS.items()
    }


def load(con: duckdb.DuckDBPyConnection, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert raw rows (missing columns stay NULL) into freshly created raw tables."""
    wh.prepare(con)
    for name, table_rows in rows.items():
        source = SOURCE_BY_NAME[name]
        columns = source.column_names
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {source.raw_table} ({', '.join(columns)}) VALUES ({marks})"
        json_columns = {c.name for c in source.columns if c.type == "JSON"}
        con.executemany(
            sql,
            [
                [json.dumps(r.get(c)) if c in json_columns else r.get(c) for c in columns]
                for r in table_rows
            ],
        )


def literal_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding the literal rows with every model built."""
    con = wh.connect()
    load(con, raw_rows())
    run_models(con, PARAMS)
    return con
