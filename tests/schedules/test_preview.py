"""The 14-day preview: the booking pages' slots for one host, by day in the host's zone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling import schedules as sch
from scheduling.access import NotAllowed
from scheduling.booking import BookingRequest, create_booking, get_event
from scheduling.db import tenant_session
from scheduling.models import Event, MeetingType
from tests.factories import add_event, add_host
from tests.schedules.conftest import Office

BERLIN = ZoneInfo("Europe/Berlin")
# Monday 23 March 2026, 06:00 in Berlin; clocks go forward there on Sunday 29 March.
NOW = datetime(2026, 3, 23, 5, tzinfo=UTC)
WORKDAY = [f"{h:02d}:00" for h in range(9, 17)]


def hours(starts: list[datetime]) -> list[str]:
    return [f"{s:%H:%M}" for s in starts]


@pytest.fixture
def ada(office: Office) -> tuple[uuid.UUID, uuid.UUID]:
    """Ada (Berlin, Mon-Fri 09-17) hosting an hour-long call; returns (ada, call)."""
    with tenant_session(office.db.app_engine, office.org) as s:
        host = add_host(s, office.org, "Ada Host", "Europe/Berlin")
        event = add_event(s, office.org, [host], "call", duration_minutes=60)
        return host.id, event.id


def preview(office: Office, host: uuid.UUID, event: uuid.UUID, role: str = "admin") -> sch.Preview:
    return office.run(sch.preview_slots, office.actor(role), host, event, now=NOW)


def by_day(p: sch.Preview) -> dict[date, list[str]]:
    return {day: hours(starts) for day, starts in p.days}


def test_preview_lists_fourteen_days_in_the_hosts_zone(
    office: Office, ada: tuple[uuid.UUID, uuid.UUID]
) -> None:
    p = preview(office, *ada)
    assert (p.timezone, p.schedule_name, p.event.slug) == ("Europe/Berlin", "Working hours", "call")
    days = by_day(p)
    assert list(days) == [date(2026, 3, 23) + timedelta(days=i) for i in range(14)]
    expected = {d: (WORKDAY if d.weekday() < 5 else []) for d in days}
    assert days == expected
    before, after = p.days[0][1][0], p.days[7][1][0]  # Mondays either side of the change
    assert before.astimezone(UTC) == datetime(2026, 3, 23, 8, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 3, 30, 7, tzinfo=UTC)


def test_time_off_takes_slots_away(office: Office, ada: tuple[uuid.UUID, uuid.UUID]) -> None:
    host, event = ada
    office.run(
        sch.create_time_off,
        office.actor("admin"),
        host,
        starts=datetime(2026, 3, 25, 12),
        ends=datetime(2026, 3, 25, 15),
    )
    days = by_day(preview(office, host, event))
    assert days[date(2026, 3, 25)] == ["09:00", "10:00", "11:00", "15:00", "16:00"]
    assert days[date(2026, 3, 24)] == WORKDAY


def test_overrides_add_hours_and_days_off(office: Office, ada: tuple[uuid.UUID, uuid.UUID]) -> None:
    host, event = ada
    admin = office.actor("admin")
    schedule = office.run(sch.host_schedules, admin, host, now=NOW).schedules[0].schedule.id
    office.run(sch.set_date_override, admin, schedule, date(2026, 3, 28), [(time(10), time(12))])
    office.run(sch.set_date_override, admin, schedule, date(2026, 3, 24), None)
    days = by_day(preview(office, host, event))
    assert days[date(2026, 3, 28)] == ["10:00", "11:00"]
    assert days[date(2026, 3, 24)] == []
    assert days[date(2026, 3, 29)] == []


def test_a_booking_takes_its_slot(office: Office, ada: tuple[uuid.UUID, uuid.UUID]) -> None:
    host, event = ada
    with tenant_session(office.db.app_engine, office.org) as s:
        create_booking(
            s,
            office.org,
            get_event(s, slug="call"),
            BookingRequest(
                start=datetime(2026, 3, 26, 10, tzinfo=BERLIN),
                name="Sam",
                email="sam@x.test",
                timezone="UTC",
            ),
            now=NOW,
        )
    days = by_day(preview(office, host, event))
    assert days[date(2026, 3, 26)] == [
        "09:00",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]


def test_the_events_pinned_schedule_is_the_one_previewed(
    office: Office, ada: tuple[uuid.UUID, uuid.UUID]
) -> None:
    host, event = ada
    admin = office.actor("admin")
    evenings = office.run(
        sch.create_schedule, admin, host, name="Evenings", timezone="Europe/Berlin"
    ).id
    office.run(sch.set_weekly_hours, admin, evenings, {0: [(time(18), time(20))]})
    with tenant_session(office.db.app_engine, office.org) as s:
        s.get(Event, (office.org, event)).schedule_id = evenings  # type: ignore[union-attr]
    p = preview(office, host, event)
    assert p.schedule_name == "Evenings"
    assert {d: h for d, h in by_day(p).items() if h} == {
        date(2026, 3, 23): ["18:00", "19:00"],
        date(2026, 3, 30): ["18:00", "19:00"],
    }


def test_round_robin_preview_shows_only_this_hosts_slots(office: Office) -> None:
    with tenant_session(office.db.app_engine, office.org) as s:
        ada = add_host(s, office.org, "Ada Host", "Europe/Berlin", hours=(time(9), time(12)))
        bea = add_host(s, office.org, "Bea Host", "Europe/Berlin", hours=(time(13), time(17)))
        rr = add_event(
            s, office.org, [ada, bea], "intro", MeetingType.ROUND_ROBIN, duration_minutes=60
        )
        ids = ada.id, bea.id, rr.id
    assert by_day(preview(office, ids[0], ids[2]))[date(2026, 3, 23)] == ["09:00", "10:00", "11:00"]
    assert by_day(preview(office, ids[1], ids[2]))[date(2026, 3, 23)] == [
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]


def test_preview_needs_read_access_and_a_hosted_event(
    office: Office, ada: tuple[uuid.UUID, uuid.UUID]
) -> None:
    host, event = ada
    with pytest.raises(NotAllowed, match="see this person's availability"):
        preview(office, host, event, role="member")
    assert by_day(preview(office, host, event, role="viewer"))[date(2026, 3, 23)] == WORKDAY
    with pytest.raises(sch.InvalidSchedule) as refused:
        preview(office, office.id("stranger"), event)
    assert refused.value.errors == {"event": "Stan Stranger does not host that event."}
