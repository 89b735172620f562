"""Schedule editing services on real Postgres: rules, refusals, permissions, audit rows."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from scheduling import schedules as sch
from scheduling.access import NotAllowed
from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    AuditLog,
    AvailabilityOverride,
    AvailabilityRule,
    AvailabilitySchedule,
    TimeOff,
)
from tests.factories import add_event
from tests.schedules.conftest import Office

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
T = time


def schedules_of(office: Office, who: str) -> list[tuple[str, str, bool]]:
    with tenant_session(office.db.app_engine, office.org) as s:
        rows = s.scalars(
            select(AvailabilitySchedule)
            .where(AvailabilitySchedule.admin_id == office.id(who))
            .order_by(AvailabilitySchedule.name)
        )
        return [(r.name, r.timezone, r.is_default) for r in rows]


def week_of(office: Office, schedule_id: object) -> list[tuple[int, time, time]]:
    with tenant_session(office.db.app_engine, office.org) as s:
        rows = s.scalars(
            select(AvailabilityRule)
            .where(AvailabilityRule.schedule_id == schedule_id)
            .order_by(AvailabilityRule.weekday, AvailabilityRule.start_time)
        )
        return [(r.weekday, r.start_time, r.end_time) for r in rows]


def overrides_of(
    office: Office, schedule_id: object
) -> list[tuple[date, time | None, time | None]]:
    with tenant_session(office.db.app_engine, office.org) as s:
        rows = s.scalars(
            select(AvailabilityOverride)
            .where(AvailabilityOverride.schedule_id == schedule_id)
            .order_by(AvailabilityOverride.day, AvailabilityOverride.start_time)
        )
        return [(r.day, r.start_time, r.end_time) for r in rows]


def audit_count(office: Office) -> int:
    with tenant_session(office.db.app_engine, office.org) as s:
        return int(s.scalar(select(func.count()).select_from(AuditLog)) or 0)


# Schedules ------------------------------------------------------------------------------


def test_member_creates_a_schedule_with_standard_hours(office: Office) -> None:
    member = office.actor("member")
    made = office.run(
        sch.create_schedule, member, office.id("member"), name=" Evenings ", timezone="Asia/Tokyo"
    )
    assert schedules_of(office, "member") == [
        ("Evenings", "Asia/Tokyo", False),
        ("Working hours", "UTC", True),
    ]
    assert week_of(office, made.id) == [(d, T(9), T(17)) for d in range(5)]
    (row,) = office.audit_rows("schedule.created")
    assert row.entity_id == made.id
    assert row.actor_label == "member@acme.test"
    assert row.new_values["name"] == "Evenings"
    assert row.new_values["hours"]["monday"] == ["09:00-17:00"]
    assert "saturday" not in row.new_values["hours"]


def test_a_new_default_replaces_the_old_one(office: Office) -> None:
    admin = office.actor("admin")
    office.run(
        sch.create_schedule,
        admin,
        office.id("stranger"),
        name="Summer",
        timezone="America/New_York",
        is_default=True,
    )
    assert schedules_of(office, "stranger") == [
        ("Summer", "America/New_York", True),
        ("Working hours", "America/New_York", False),
    ]


@pytest.mark.parametrize(
    ("name", "zone", "errors"),
    [
        ("", "UTC", {"name": "Please name the schedule."}),
        ("working HOURS", "UTC", {"name": "There is already a schedule called 'working HOURS'."}),
        (
            "Evenings",
            "Mars/Olympus",
            {"timezone": "Unknown time zone 'Mars/Olympus'; use a name like Europe/Berlin."},
        ),
        (
            "x" * 256,
            "EST5",
            {
                "name": "Use at most 255 characters.",
                "timezone": "Unknown time zone 'EST5'; use a name like Europe/Berlin.",
            },
        ),
    ],
)
def test_bad_schedule_settings_are_refused_before_writing(
    office: Office, name: str, zone: str, errors: dict[str, str]
) -> None:
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(
            sch.create_schedule,
            office.actor("member"),
            office.id("member"),
            name=name,
            timezone=zone,
        )
    assert refused.value.errors == errors
    assert schedules_of(office, "member") == [("Working hours", "UTC", True)]
    assert audit_count(office) == 0


def test_update_renames_changes_zone_and_default(office: Office) -> None:
    member = office.actor("member")
    old = office.default_schedule("member")
    new = office.run(
        sch.create_schedule, member, office.id("member"), name="Evenings", timezone="UTC"
    ).id
    office.run(sch.update_schedule, member, new, name="Late", timezone="Europe/Lisbon")
    office.run(sch.update_schedule, member, new, is_default=True)
    assert schedules_of(office, "member") == [
        ("Late", "Europe/Lisbon", True),
        ("Working hours", "UTC", False),
    ]
    first, second = office.audit_rows("schedule.updated")
    assert (first.old_values["name"], first.new_values["name"]) == ("Evenings", "Late")
    assert (second.old_values["is_default"], second.new_values["is_default"]) == (False, True)
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.update_schedule, member, new, is_default=False)
    assert refused.value.errors == {
        "is_default": "Make another schedule the default instead; one must be."
    }
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.update_schedule, member, old, name="late", colour="red")
    assert refused.value.errors == {"colour": "Not a setting of a schedule."}


def test_delete_refuses_the_only_the_default_and_a_pinned_schedule(office: Office) -> None:
    member = office.actor("member")
    default = office.default_schedule("member")
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.delete_schedule, member, default)
    assert refused.value.errors == {"schedule": "A person needs at least one schedule."}
    extra = office.run(
        sch.create_schedule, member, office.id("member"), name="Evenings", timezone="UTC"
    ).id
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.delete_schedule, member, default)
    assert refused.value.errors == {
        "schedule": "This is the default schedule; make another one the default first."
    }
    with tenant_session(office.db.app_engine, office.org) as s:
        host = s.get(Admin, (office.org, office.id("member")))
        add_event(s, office.org, [host], "evening-call", schedule_id=extra)
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.delete_schedule, member, extra)
    assert refused.value.errors == {
        "schedule": "Evening Call uses this schedule; choose another one there first."
    }
    assert len(schedules_of(office, "member")) == 2
    assert office.audit_rows("schedule.deleted") == []


def test_delete_removes_the_schedule_with_its_hours_and_overrides(office: Office) -> None:
    member = office.actor("member")
    extra = office.run(
        sch.create_schedule, member, office.id("member"), name="Evenings", timezone="UTC"
    ).id
    office.run(sch.set_date_override, member, extra, date(2026, 3, 7), None)
    office.run(sch.delete_schedule, member, extra)
    assert schedules_of(office, "member") == [("Working hours", "UTC", True)]
    assert week_of(office, extra) == [] and overrides_of(office, extra) == []
    (row,) = office.audit_rows("schedule.deleted")
    assert row.old_values["name"] == "Evenings" and row.new_values is None


# Weekly hours ---------------------------------------------------------------------------


def test_weekly_hours_replace_the_whole_week(office: Office) -> None:
    schedule = office.default_schedule("member")
    week = {0: [(T(13), T(17)), (T(8), T(12))], 5: [(T(10), T(14))], 2: []}
    stored = office.run(sch.set_weekly_hours, office.actor("member"), schedule, week)
    assert stored == {0: [(T(8), T(12)), (T(13), T(17))], 5: [(T(10), T(14))]}
    assert week_of(office, schedule) == [
        (0, T(8), T(12)),
        (0, T(13), T(17)),
        (5, T(10), T(14)),
    ]
    (row,) = office.audit_rows("schedule.hours_set")
    assert row.old_values == {
        "hours": {
            day: ["09:00-17:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        }
    }
    assert row.new_values == {
        "hours": {"monday": ["08:00-12:00", "13:00-17:00"], "saturday": ["10:00-14:00"]}
    }


@pytest.mark.parametrize(
    ("week", "errors"),
    [
        (
            {0: [(T(9), T(12))], 1: [(T(17), T(9))]},
            {"hours_1": "17:00-09:00 ends before it starts (split hours past midnight at 24:00)."},
        ),
        (
            {3: [(T(9), T(12)), (T(11), T(13))]},
            {"hours_3": "09:00-12:00 and 11:00-13:00 overlap."},
        ),
        ({4: [(T(9), T(12)), (T(9), T(12))]}, {"hours_4": "09:00-12:00 and 09:00-12:00 overlap."}),
        ({7: [(T(9), T(12))]}, {"hours": "7 is not a weekday (0 = Monday ... 6 = Sunday)."}),
        (
            {6: [(T(9), T(9))]},
            {"hours_6": "09:00-09:00 ends before it starts (split hours past midnight at 24:00)."},
        ),
    ],
)
def test_bad_weeks_leave_the_old_week_untouched(
    office: Office, week: dict[int, list[tuple[time, time]]], errors: dict[str, str]
) -> None:
    schedule = office.default_schedule("member")
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.set_weekly_hours, office.actor("member"), schedule, week)
    assert refused.value.errors == errors
    assert week_of(office, schedule) == [(d, T(9), T(17)) for d in range(5)]
    assert audit_count(office) == 0


def test_touching_ranges_and_the_end_of_the_day_are_allowed(office: Office) -> None:
    schedule = office.default_schedule("member")
    week = sch.parse_week({0: "9-12, 12:00-13:30", 6: "8pm-24:00", 1: ""})
    office.run(sch.set_weekly_hours, office.actor("member"), schedule, week)
    assert week_of(office, schedule) == [
        (0, T(9), T(12)),
        (0, T(12), T(13, 30)),
        (6, T(20), T(23, 59, 59)),
    ]
    assert sch.format_ranges([(T(20), T(23, 59, 59))]) == "20:00-24:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-12:00, 13:00-17:00", [(T(9), T(12)), (T(13), T(17))]),
        ("9am to 5pm", [(T(9), T(17))]),
        ("12am-12pm; 12:30pm - 11:45pm", [(T(0), T(12)), (T(12, 30), T(23, 45))]),
        ("  ", []),
    ],
)
def test_parse_ranges_reads_what_people_type(text: str, expected: list) -> None:
    assert sch.parse_ranges(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9-17-18", "Write '9-17-18' as a range like 09:00-17:00."),
        ("noon-17", "'noon' is not a time like 09:00 or 5pm."),
        ("25:00-26:00", "'25:00' is not a time of day."),
        ("13pm-14:00", "'13pm' is not a time of day."),
        ("24:00-10:00", "'24:00' is not a time of day."),
    ],
)
def test_parse_ranges_names_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(sch.InvalidSchedule) as refused:
        sch.parse_week({2: "9-10", 4: text})
    assert refused.value.errors == {"hours_4": message}


# Date overrides -------------------------------------------------------------------------


def test_overrides_set_hours_or_a_day_off_and_replace_each_other(office: Office) -> None:
    member = office.actor("member")
    schedule = office.default_schedule("member")
    day = date(2026, 3, 7)
    office.run(sch.set_date_override, member, schedule, day, [(T(14), T(16)), (T(10), T(12))])
    assert overrides_of(office, schedule) == [(day, T(10), T(12)), (day, T(14), T(16))]
    office.run(sch.set_date_override, member, schedule, day, None)
    assert overrides_of(office, schedule) == [(day, None, None)]
    office.run(sch.delete_date_override, member, schedule, day)
    assert overrides_of(office, schedule) == []
    first, second = office.audit_rows("schedule.override_set")
    assert first.old_values == {"day": "2026-03-07", "hours": None}
    assert first.new_values == {"day": "2026-03-07", "hours": ["10:00-12:00", "14:00-16:00"]}
    assert second.old_values["hours"] == ["10:00-12:00", "14:00-16:00"]
    assert second.new_values == {"day": "2026-03-07", "hours": "day off"}
    (gone,) = office.audit_rows("schedule.override_deleted")
    assert gone.old_values == {"day": "2026-03-07", "hours": "day off"}
    with pytest.raises(sch.AvailabilityNotFound, match=r"There is no override on 2026-03-07\."):
        office.run(sch.delete_date_override, member, schedule, day)


@pytest.mark.parametrize(
    ("hours", "errors"),
    [
        ([], {"hours": "Enter the hours for that day, or mark it as a day off."}),
        (
            [(T(12), T(10))],
            {"hours": "12:00-10:00 ends before it starts (split hours past midnight at 24:00)."},
        ),
        ([(T(9), T(11)), (T(10), T(12))], {"hours": "09:00-11:00 and 10:00-12:00 overlap."}),
    ],
)
def test_bad_overrides_write_nothing(
    office: Office, hours: list[tuple[time, time]], errors: dict[str, str]
) -> None:
    schedule = office.default_schedule("member")
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(sch.set_date_override, office.actor("member"), schedule, date(2026, 3, 7), hours)
    assert refused.value.errors == errors
    assert overrides_of(office, schedule) == []
    assert audit_count(office) == 0


# Time off -------------------------------------------------------------------------------


def time_off_of(office: Office, who: str) -> list[tuple[datetime, datetime, str | None]]:
    with tenant_session(office.db.app_engine, office.org) as s:
        rows = s.scalars(
            select(TimeOff).where(TimeOff.admin_id == office.id(who)).order_by(TimeOff.starts_at)
        )
        return [(r.starts_at.astimezone(UTC), r.ends_at.astimezone(UTC), r.reason) for r in rows]


def test_time_off_across_spring_forward_is_stored_in_utc(office: Office) -> None:
    # America/New_York moves from EST (-5) to EDT (-4) at 02:00 on 8 March 2026.
    office.run(
        sch.create_time_off,
        office.actor("admin"),
        office.id("stranger"),
        starts=datetime(2026, 3, 7, 18, 0),
        ends=datetime(2026, 3, 9, 9, 0),
        reason=" Conference ",
    )
    assert time_off_of(office, "stranger") == [
        (datetime(2026, 3, 7, 23, tzinfo=UTC), datetime(2026, 3, 9, 13, tzinfo=UTC), "Conference")
    ]
    (row,) = office.audit_rows("time_off.created")
    assert row.new_values["starts_at"] == "2026-03-07T23:00:00+00:00"
    assert row.new_values["timezone"] == "America/New_York"


def test_a_repeated_hour_is_covered_whole(office: Office) -> None:
    # 01:00-02:00 happens twice on 1 November 2026 in New York (EDT, then EST).
    office.run(
        sch.create_time_off,
        office.actor("admin"),
        office.id("stranger"),
        starts=datetime(2026, 11, 1, 1, 30),
        ends=datetime(2026, 11, 1, 1, 45),
    )
    assert time_off_of(office, "stranger") == [
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 45, tzinfo=UTC), None)
    ]


@pytest.mark.parametrize(
    ("starts", "ends", "errors"),
    [
        (
            datetime(2026, 3, 10, 12),
            datetime(2026, 3, 10, 9),
            {"ends_at": "Time off must end after it starts."},
        ),
        (
            datetime(2026, 3, 10, 12),
            datetime(2026, 3, 10, 12),
            {"ends_at": "Time off must end after it starts."},
        ),
        (
            datetime(2026, 3, 8, 2, 30),
            datetime(2026, 3, 8, 12),
            {
                "starts_at": "2026-03-08 02:30 does not exist in America/New_York "
                "(the clocks skip it)."
            },
        ),
    ],
)
def test_bad_time_off_writes_nothing(
    office: Office, starts: datetime, ends: datetime, errors: dict[str, str]
) -> None:
    with pytest.raises(sch.InvalidSchedule) as refused:
        office.run(
            sch.create_time_off,
            office.actor("admin"),
            office.id("stranger"),
            starts=starts,
            ends=ends,
        )
    assert refused.value.errors == errors
    assert time_off_of(office, "stranger") == []
    assert audit_count(office) == 0


def test_delete_time_off(office: Office) -> None:
    member = office.actor("member")
    made = office.run(
        sch.create_time_off,
        member,
        office.id("member"),
        starts=datetime(2026, 3, 10, 9),
        ends=datetime(2026, 3, 10, 12),
    )
    office.run(sch.delete_time_off, member, made.id)
    assert time_off_of(office, "member") == []
    (row,) = office.audit_rows("time_off.deleted")
    assert row.old_values["starts_at"] == "2026-03-10T09:00:00+00:00"
    with pytest.raises(sch.AvailabilityNotFound):
        office.run(sch.delete_time_off, member, made.id)


# Who may change whose availability --------------------------------------------------------

RULES = [
    ("member", "member", True),
    ("member", "stranger", False),
    ("member", "manager", False),
    ("manager", "member", True),
    ("manager", "stranger", False),
    ("admin", "stranger", True),
    ("super_admin", "member", True),
    ("viewer", "viewer", False),
    ("viewer", "member", False),
]


@pytest.mark.parametrize(("role", "target", "allowed"), RULES)
def test_who_may_change_availability(office: Office, role: str, target: str, allowed: bool) -> None:
    actor = office.actor(role)
    schedule = office.default_schedule(target)
    calls = [
        lambda s: sch.set_weekly_hours(s, actor, schedule, {0: [(T(10), T(11))]}),
        lambda s: sch.set_date_override(s, actor, schedule, date(2026, 3, 7), None),
        lambda s: sch.update_schedule(s, actor, schedule, name="Renamed"),
        lambda s: sch.create_schedule(s, actor, office.id(target), name="New", timezone="UTC"),
        lambda s: sch.create_time_off(
            s,
            actor,
            office.id(target),
            starts=datetime(2026, 3, 10, 9),
            ends=datetime(2026, 3, 10, 10),
        ),
    ]
    for call in calls:
        if allowed:
            office.run(call)
        else:
            with pytest.raises(NotAllowed, match="change this person's availability"):
                office.run(call)
    assert audit_count(office) == (len(calls) if allowed else 0)
    assert sch.may_edit(actor, office.id(target)) is allowed


@pytest.mark.parametrize(
    ("role", "hosts"),
    [
        ("member", ["Member Person"]),
        ("manager", ["Manager Person", "Member Person"]),
        (
            "viewer",
            [
                "Admin Person",
                "Manager Person",
                "Member Person",
                "Stan Stranger",
                "Super Admin Person",
                "Viewer Person",
            ],
        ),
    ],
)
def test_each_role_sees_the_hosts_in_its_scope(office: Office, role: str, hosts: list[str]) -> None:
    people = office.run(sch.visible_hosts, office.actor(role))
    assert [p.name for p in people] == hosts


def test_reading_a_strangers_availability_is_refused_to_a_member(office: Office) -> None:
    with pytest.raises(NotAllowed, match="see this person's availability"):
        office.run(sch.host_schedules, office.actor("member"), office.id("stranger"), now=NOW)
    seen = office.run(sch.host_schedules, office.actor("viewer"), office.id("stranger"), now=NOW)
    assert [v.schedule.name for v in seen.schedules] == ["Working hours"]
    assert seen.schedules[0].week[0] == [(T(9), T(17))]


def test_two_editors_replacing_one_week_never_mix_their_weeks(office: Office) -> None:
    schedule = office.default_schedule("member")
    first = {0: [(T(8), T(9))]}
    second = {1: [(T(10), T(11))]}
    finished = threading.Event()

    def other_editor() -> None:
        office.run(sch.set_weekly_hours, office.actor("admin"), schedule, second)
        finished.set()

    with tenant_session(office.db.app_engine, office.org) as s:
        sch.set_weekly_hours(s, office.actor("member"), schedule, first)
        editor = threading.Thread(target=other_editor)
        editor.start()
        assert not finished.wait(0.5)  # waits on the person's row until this commits
    editor.join(10)
    assert finished.is_set()
    assert week_of(office, schedule) == [(1, T(10), T(11))]
