"""The Availability page for every built-in role, driven with AppTest on the real database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Error

from scheduling.access import Actor, update_person
from scheduling.db import tenant_session
from scheduling.models import (
    AuditLog,
    AvailabilityOverride,
    AvailabilityRule,
    AvailabilitySchedule,
    TimeOff,
)
from scheduling.schedules import create_time_off, set_date_override
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff
from tests.factories import add_event, add_team

BERLIN = ZoneInfo("Europe/Berlin")
EVERYONE = [
    "Admin Person <admin@acme.test>",
    "Manager Person <manager@acme.test>",
    "Member Person <member@acme.test>",
    "Super Admin Person <super-admin@acme.test>",
    "Viewer Person <viewer@acme.test>",
]


@pytest.fixture
def staff(db: TestDatabase) -> Staff:
    """One person per role; the manager and the member form a team; the member works in
    Berlin and hosts a 30-minute call."""
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        add_team(s, staff.org, [staff.people["manager"], staff.people["member"]])
        member = update_person(
            s, Actor.system(staff.org), staff.people["member"], timezone="Europe/Berlin"
        )
        add_event(s, staff.org, [member], "call")
        s.execute(AuditLog.__table__.delete())
    return staff


def default_schedule(staff: Staff, role: str) -> uuid.UUID:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        return s.scalars(
            select(AvailabilitySchedule.id).where(
                AvailabilitySchedule.admin_id == staff.people[role],
                AvailabilitySchedule.is_default,
            )
        ).one()


def week(staff: Staff, schedule: uuid.UUID) -> list[tuple[int, time, time]]:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        rows = s.scalars(
            select(AvailabilityRule)
            .where(AvailabilityRule.schedule_id == schedule)
            .order_by(AvailabilityRule.weekday, AvailabilityRule.start_time)
        )
        return [(r.weekday, r.start_time, r.end_time) for r in rows]


def audit_actions(staff: Staff) -> list[str]:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        return list(s.scalars(select(AuditLog.action).order_by(AuditLog.created_at)))


def submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def shows_form(at: AppTest, form: str, label: str) -> bool:
    return any(b.key == f"FormSubmitter:{form}-{label}" for b in at.button)


def error_after(at: AppTest, key: str) -> str | None:
    """The error shown right under the widget `key` (in page order), if any."""
    flat = list(at.main)
    for i, node in enumerate(flat):
        if not isinstance(node, Block) and node.key == key:
            following = flat[i + 1] if i + 1 < len(flat) else None
            return following.value if isinstance(following, Error) else None
    raise AssertionError(f"no widget {key}")


@pytest.mark.parametrize(
    ("role", "people", "editable"),
    [
        ("super_admin", EVERYONE, True),
        ("admin", EVERYONE, True),
        (
            "manager",
            ["Manager Person <manager@acme.test>", "Member Person <member@acme.test>"],
            True,
        ),
        ("member", ["Member Person <member@acme.test>"], True),
        ("viewer", EVERYONE, False),
    ],
)
def test_every_role_sees_the_people_and_controls_it_should(
    staff: Staff, role: str, people: list[str], editable: bool
) -> None:
    at = staff.page("availability", role)
    assert not at.exception
    assert at.selectbox(key="av_host").options == people
    email = f"<{role.replace('_', '-')}@acme.test>"
    assert at.selectbox(key="av_host").value.endswith(email)  # themselves first
    own = default_schedule(staff, role)
    assert shows_form(at, f"hours:{own}", "Save weekly hours") is editable
    assert shows_form(at, f"time_off:{staff.people[role]}", "Add time off") is editable
    assert shows_form(at, f"override:{own}", "Save override") is editable
    read_only = "You can see this person's availability but not change it."
    assert (read_only in [i.value for i in at.info]) is not editable
    assert at.dataframe[0].value["schedule"].to_list() == ["Working hours"]


def test_viewer_reads_a_members_week_and_preview_but_cannot_change_them(staff: Staff) -> None:
    at = staff.page("availability", "viewer")
    at.selectbox(key="av_host").select("Member Person <member@acme.test>").run()
    assert not at.exception
    assert "Europe/Berlin" in at.caption[0].value
    hours = at.dataframe[1].value
    assert hours["hours"].to_list() == ["09:00-17:00"] * 5 + ["—", "—"]
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:")]
    preview = at.dataframe[2].value
    assert len(preview) == 14 and list(preview.columns) == ["day", "slots", "times"]


def test_member_replaces_their_week(staff: Staff) -> None:
    schedule = default_schedule(staff, "member")
    at = staff.page("availability", "member")
    at.text_input(key=f"av_hours_0_{schedule}").input("9am-12:00, 13:00-17:30")
    at.text_input(key=f"av_hours_4_{schedule}").input("")
    at.text_input(key=f"av_hours_5_{schedule}").input("10-14")
    submit(at, f"hours:{schedule}", "Save weekly hours")
    assert not at.exception
    assert [s.value for s in at.success] == ["Weekly hours saved."]
    assert week(staff, schedule) == [
        (0, time(9), time(12)),
        (0, time(13), time(17, 30)),
        (1, time(9), time(17)),
        (2, time(9), time(17)),
        (3, time(9), time(17)),
        (5, time(10), time(14)),
    ]
    assert at.text_input(key=f"av_hours_0_{schedule}").value == "09:00-12:00, 13:00-17:30"
    assert audit_actions(staff) == ["schedule.hours_set"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17:00-09:00", "17:00-09:00 ends before it starts (split hours past midnight at 24:00)."),
        ("09:00-12:00, 11:00-13:00", "09:00-12:00 and 11:00-13:00 overlap."),
        ("breakfast", "Write 'breakfast' as a range like 09:00-17:00."),
    ],
)
def test_bad_hours_show_under_their_day_and_write_nothing(
    staff: Staff, text: str, message: str
) -> None:
    schedule = default_schedule(staff, "member")
    at = staff.page("availability", "member")
    at.text_input(key=f"av_hours_1_{schedule}").input(text)
    at.text_input(key=f"av_hours_0_{schedule}").input("08:00-10:00")
    submit(at, f"hours:{schedule}", "Save weekly hours")
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert error_after(at, f"av_hours_1_{schedule}") == message
    assert error_after(at, f"av_hours_0_{schedule}") is None
    assert at.text_input(key=f"av_hours_1_{schedule}").value == text  # kept what was typed
    assert week(staff, schedule) == [(d, time(9), time(17)) for d in range(5)]
    assert audit_actions(staff) == []


def test_manager_creates_a_schedule_for_a_teammate(staff: Staff) -> None:
    member = staff.people["member"]
    at = staff.page("availability", "manager")
    at.selectbox(key="av_host").select("Member Person <member@acme.test>").run()
    at.text_input(key=f"av_new_name_{member}").input("Evenings")
    at.text_input(key=f"av_new_zone_{member}").input("Asia/Tokyo")
    at.checkbox(key=f"av_new_default_{member}").check()
    submit(at, f"new_schedule:{member}", "Create schedule")
    assert not at.exception
    with tenant_session(staff.db.app_engine, staff.org) as s:
        rows = s.execute(
            select(
                AvailabilitySchedule.name,
                AvailabilitySchedule.timezone,
                AvailabilitySchedule.is_default,
            )
            .where(AvailabilitySchedule.admin_id == member)
            .order_by(AvailabilitySchedule.name)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Evenings", "Asia/Tokyo", True),
        ("Working hours", "UTC", False),
    ]
    assert at.dataframe[0].value["schedule"].to_list() == ["Evenings", "Working hours"]
    assert audit_actions(staff) == ["schedule.created"]


def test_unknown_zone_shows_under_the_zone_and_writes_nothing(staff: Staff) -> None:
    member = staff.people["member"]
    at = staff.page("availability", "member")
    at.text_input(key=f"av_new_name_{member}").input("Evenings")
    at.text_input(key=f"av_new_zone_{member}").input("Mars/Olympus")
    submit(at, f"new_schedule:{member}", "Create schedule")
    message = "Unknown time zone 'Mars/Olympus'; use a name like Europe/Berlin."
    assert [e.value for e in at.error] == [message]
    assert error_after(at, f"av_new_zone_{member}") == message
    with tenant_session(staff.db.app_engine, staff.org) as s:
        count = s.scalar(select(func.count()).where(AvailabilitySchedule.admin_id == member))
    assert count == 1
    assert audit_actions(staff) == []


def test_renaming_to_an_unknown_zone_is_refused(staff: Staff) -> None:
    schedule = default_schedule(staff, "member")
    at = staff.page("availability", "member")
    at.text_input(key=f"av_zone_{schedule}").input("Europe/Atlantis")
    submit(at, f"schedule:{schedule}", "Save schedule")
    assert error_after(at, f"av_zone_{schedule}") == (
        "Unknown time zone 'Europe/Atlantis'; use a name like Europe/Berlin."
    )
    at.text_input(key=f"av_zone_{schedule}").input("Europe/Vienna")
    at.text_input(key=f"av_name_{schedule}").input("Office")
    submit(at, f"schedule:{schedule}", "Save schedule")
    assert not at.error
    with tenant_session(staff.db.app_engine, staff.org) as s:
        row = s.get(AvailabilitySchedule, (staff.org, schedule))
        assert row is not None and (row.name, row.timezone) == ("Office", "Europe/Vienna")
    assert audit_actions(staff) == ["schedule.updated"]


def test_deleting_the_only_schedule_is_refused_with_a_message(staff: Staff) -> None:
    schedule = default_schedule(staff, "member")
    at = staff.page("availability", "member")
    at.button(key=f"av_delete_{schedule}").click().run()
    assert [e.value for e in at.error] == ["A person needs at least one schedule."]
    assert default_schedule(staff, "member") == schedule


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def test_member_takes_time_off_in_their_zone(staff: Staff) -> None:
    member = staff.people["member"]
    monday = next_monday()
    at = staff.page("availability", "member")
    at.date_input(key=f"av_off_sd_{member}").set_value(monday)
    at.time_input(key=f"av_off_st_{member}").set_value(time(13))
    at.date_input(key=f"av_off_ed_{member}").set_value(monday + timedelta(days=1))
    at.time_input(key=f"av_off_et_{member}").set_value(time(9, 30))
    at.text_input(key=f"av_off_reason_{member}").input("Dentist")
    submit(at, f"time_off:{member}", "Add time off")
    assert not at.exception
    with tenant_session(staff.db.app_engine, staff.org) as s:
        row = s.scalars(select(TimeOff).where(TimeOff.admin_id == member)).one()
    assert row.starts_at == datetime.combine(monday, time(13), tzinfo=BERLIN)
    assert row.ends_at == datetime.combine(monday + timedelta(days=1), time(9, 30), tzinfo=BERLIN)
    assert row.reason == "Dentist"
    # Working hours are 09-17 UTC; the preview reads in Berlin and stops before the time off,
    # keeping the host's default 15-minute buffer after each meeting clear of it too.
    preview = at.dataframe[-1].value
    times = preview[preview["day"] == f"{monday:%a %d %b}"]["times"].to_list()
    assert times[0].split(", ")[-1] == "12:00"
    assert [s.value for s in at.success] == ["Time off added."]


def test_time_off_ending_before_it_starts_is_refused_under_the_end(staff: Staff) -> None:
    member = staff.people["member"]
    monday = next_monday()
    at = staff.page("availability", "member")
    at.date_input(key=f"av_off_sd_{member}").set_value(monday)
    at.time_input(key=f"av_off_st_{member}").set_value(time(13))
    at.date_input(key=f"av_off_ed_{member}").set_value(monday)
    at.time_input(key=f"av_off_et_{member}").set_value(time(9))
    submit(at, f"time_off:{member}", "Add time off")
    assert error_after(at, f"av_off_et_{member}") == "Time off must end after it starts."
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert s.scalar(select(func.count()).select_from(TimeOff)) == 0
    assert audit_actions(staff) == []


def test_time_off_and_overrides_are_listed_and_deleted(staff: Staff) -> None:
    member = staff.people["member"]
    schedule = default_schedule(staff, "member")
    monday = next_monday()
    with tenant_session(staff.db.app_engine, staff.org) as s:
        actor = Actor.system(staff.org)
        away = create_time_off(
            s,
            actor,
            member,
            starts=datetime.combine(monday, time(9)),
            ends=datetime.combine(monday, time(12)),
            reason="Dentist",
        ).id
        set_date_override(s, actor, schedule, monday + timedelta(days=1), None)
        s.execute(AuditLog.__table__.delete())
    at = staff.page("availability", "member")
    texts = [m.value for m in at.markdown]
    assert f"{monday:%a %d %b %Y} 09:00 to {monday:%a %d %b %Y} 12:00 — Dentist" in texts
    assert f"{monday + timedelta(days=1):%a %d %b %Y}: day off" in texts
    at.button(key=f"av_time_off_delete_{away}").click().run()
    at.button(key=f"av_override_delete_{schedule}_{monday + timedelta(days=1)}").click().run()
    assert not at.exception
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert s.scalar(select(func.count()).select_from(TimeOff)) == 0
        assert s.scalar(select(func.count()).select_from(AvailabilityOverride)) == 0
    assert audit_actions(staff) == ["time_off.deleted", "schedule.override_deleted"]
    assert "No time off ahead." in [m.value for m in at.markdown]


def test_an_override_adds_hours_to_the_preview(staff: Staff) -> None:
    schedule = default_schedule(staff, "member")
    saturday = next_monday() - timedelta(days=2)
    if saturday <= date.today():
        saturday += timedelta(days=7)
    at = staff.page("availability", "member")
    label = f"{saturday:%a %d %b}"
    preview = at.dataframe[-1].value
    assert preview[preview["day"] == label]["slots"].to_list() == [0]
    at.date_input(key=f"av_override_day_{schedule}").set_value(saturday)
    at.text_input(key=f"av_override_hours_{schedule}").input("10:00-11:00")
    submit(at, f"override:{schedule}", "Save override")
    assert not at.exception
    preview = at.dataframe[-1].value
    starts = [datetime.combine(saturday, time(10, m), tzinfo=UTC) for m in (0, 30)]
    expected = ", ".join(f"{s.astimezone(BERLIN):%H:%M}" for s in starts)  # hours are in UTC
    assert preview[preview["day"] == label]["times"].to_list() == [expected]
    assert audit_actions(staff) == ["schedule.override_set"]


def test_an_override_without_hours_or_day_off_is_refused(staff: Staff) -> None:
    schedule = default_schedule(staff, "member")
    at = staff.page("availability", "member")
    submit(at, f"override:{schedule}", "Save override")
    assert error_after(at, f"av_override_hours_{schedule}") == (
        "Enter the hours for that day, or mark it as a day off."
    )
    with tenant_session(staff.db.app_engine, staff.org) as s:
        assert s.scalar(select(func.count()).select_from(AvailabilityOverride)) == 0
    assert audit_actions(staff) == []


def test_people_without_events_get_no_preview(staff: Staff) -> None:
    at = staff.page("availability", "admin")
    assert not at.exception
    assert at.info[-1].value == "Admin Person hosts no active event, so there is nothing to book."
    assert not [d for d in at.dataframe if "times" in d.value.columns]
