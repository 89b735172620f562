"""The Events page under each built-in role (AppTest on the real database), and an event made
on it that attendees then book on its public page (booking_app with Flask's test client).

The member hosts "Member chat"; the admin hosts the group event "Study hall"; the manager
shares the team "Tutors" with the member.
"""

from __future__ import annotations

import dataclasses
import email
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from booking_app import create_app
from scheduling.access import Actor
from scheduling.catalog import active_questions, create_event, prep_resources
from scheduling.catalog.events import host_ids_of
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.models import (
    AuditLog,
    Booking,
    BookingStatus,
    Event,
    GroupSession,
    Organization,
    QuestionType,
    TemplateKind,
)
from scheduling.notify.tasks import send_booking_message
from scheduling.outbox import relay_all
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff
from tests.factories import add_team
from tests.pages.scenario import Site

NOW = datetime(2031, 3, 3, 8, tzinfo=UTC)  # Monday 08:00 UTC, the booking app's clock
TUESDAY_9 = datetime(2031, 3, 4, 9, tzinfo=UTC)
NEW_SUBMIT = "FormSubmitter:ev_new-Create event"


@dataclass
class Desk:
    staff: Staff
    member_chat: uuid.UUID
    study_hall: uuid.UUID

    @property
    def db(self) -> TestDatabase:
        return self.staff.db

    def page(self, role: str, event: uuid.UUID | None = None) -> AppTest:
        at = self.staff.page("events", role)
        if event is not None:
            at.selectbox(key="ev_pick").set_value(str(event)).run()
        assert not at.exception, at.exception
        return at

    def event(self, event_id: uuid.UUID) -> Event:
        with tenant_session(self.db.app_engine, self.staff.org) as s:
            return s.scalars(select(Event).where(Event.id == event_id)).one()

    def events(self) -> list[Event]:
        with tenant_session(self.db.app_engine, self.staff.org) as s:
            return list(s.scalars(select(Event).order_by(Event.created_at)))

    def audit(self) -> list[str]:
        with tenant_session(self.db.app_engine, self.staff.org) as s:
            return list(s.scalars(select(AuditLog.action).order_by(AuditLog.created_at)))


@pytest.fixture
def desk(db: TestDatabase) -> Desk:
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        system = Actor.system(staff.org)
        add_team(s, staff.org, [staff.people["manager"], staff.people["member"]])
        member_chat = create_event(
            s, system, hosts=[staff.people["member"]], title="Member chat", slug="member-chat"
        ).id
        study_hall = create_event(
            s,
            system,
            hosts=[staff.people["admin"]],
            title="Study hall",
            slug="study-hall",
            meeting_type="group",
            capacity=4,
        ).id
        s.execute(AuditLog.__table__.delete())
    return Desk(staff, member_chat, study_hall)


def k(name: str, event: uuid.UUID) -> str:
    return f"ev_{name}:{event}"


def submit(form: str, event: uuid.UUID, label: str) -> str:
    return f"FormSubmitter:ev_{form}:{event}-{label}"


def message_under(at: AppTest, widget_key: str) -> str | None:
    """The error shown right after the widget `widget_key` in its container, if any."""

    def search(node: Any) -> str | None:
        children = list(getattr(node, "children", {}).values())
        for i, child in enumerate(children):
            if getattr(child, "key", None) == widget_key:
                after = children[i + 1] if i + 1 < len(children) else None
                return after.value if getattr(after, "type", None) == "error" else None
            found = search(child)
            if found is not None:
                return found
        return None

    return search(at.main)


# (create form, Member chat editable, Duplicate button, read-only notice) per role
CONTROLS = {
    "super_admin": (True, True, True, False),
    "admin": (True, True, True, False),
    "manager": (True, True, True, False),
    "member": (False, True, False, False),
    "viewer": (False, False, False, True),
}


@pytest.mark.parametrize("role", sorted(CONTROLS))
def test_each_role_sees_the_catalogue_and_only_the_controls_it_may_use(
    desk: Desk, role: str
) -> None:
    at = desk.page(role)
    table = at.dataframe[0].value
    base = get_config().public_base_url
    assert table["title"].to_list() == ["Member chat", "Study hall"]
    assert table["hosts"].to_list() == ["Member Person", "Admin Person"]
    assert table["public page"].to_list() == [f"{base}/book/member-chat", f"{base}/book/study-hall"]
    assert at.selectbox(key="ev_pick").value == str(desk.member_chat)
    create, editable, duplicate, notice = CONTROLS[role]
    keys = {w.key for w in at.text_input} | {b.key for b in at.button}
    assert ("ev_new_title" in keys) is create
    assert (k("title", desk.member_chat) in keys) is editable
    assert (k("deactivate", desk.member_chat) in keys) is editable
    assert (k("duplicate", desk.member_chat) in keys) is duplicate
    assert ("You can look at this event but not change it." in [i.value for i in at.info]) is (
        notice
    )
    assert f"Public booking page: [{base}/book/member-chat]" in at.markdown[0].value


def test_a_member_can_only_look_at_someone_elses_event(desk: Desk) -> None:
    at = desk.page("member", desk.study_hall)
    assert [i.value for i in at.info] == ["You can look at this event but not change it."]
    facts = dict(zip(*at.dataframe[1].value.to_dict("list").values(), strict=True))
    assert facts["Meeting type"] == "Group sessions (scheduled, with seats)"
    assert facts["Hosts"] == "Admin Person"
    assert [b.key for b in at.button] == []


def test_a_new_event_made_in_the_form_is_stored_with_its_hosts(desk: Desk) -> None:
    at = desk.page("admin")
    at.text_input(key="ev_new_title").input("Portfolio review")
    at.selectbox(key="ev_new_type").set_value("round_robin")
    at.number_input(key="ev_new_duration").set_value(45)
    hosts = [desk.staff.people["member"], desk.staff.people["admin"]]
    at.multiselect(key="ev_new_hosts").set_value(hosts)
    at.text_input(key="ev_new_zone").input("Europe/Paris")
    at.button(key=NEW_SUBMIT).click().run()
    assert not at.exception
    new = desk.events()[-1]
    assert (new.title, new.slug, new.meeting_type.value, new.duration_minutes) == (
        "Portfolio review",
        "portfolio-review",
        "round_robin",
        45,
    )
    assert new.display_timezone == "Europe/Paris" and new.is_active
    with tenant_session(desk.db.app_engine, desk.staff.org) as s:
        assert host_ids_of(s, new.id) == hosts
    assert desk.audit() == ["event.created"]
    assert [m.value for m in at.success] == ["Event created. It is live on its public page."]
    assert at.selectbox(key="ev_pick").value == str(new.id)
    assert at.text_input(key="ev_new_title").value == ""


@pytest.mark.parametrize(
    ("form", "widget", "value", "button", "message"),
    [
        ("new", "ev_new_title", "  ", NEW_SUBMIT, "Please enter a title."),
        (
            "basics",
            "slug",
            "study-hall",
            "Save basics",
            "Another event already uses the address /book/study-hall; choose another.",
        ),
        (
            "rules",
            "buffer_before",
            -5,
            "Save rules",
            "Buffers are minutes, 0 or more (leave empty to use each host's default).",
        ),
        (
            "guests",
            "zone",
            "Mars/Olympus",
            "Save guests and zone",
            "Unknown time zone 'Mars/Olympus'.",
        ),
    ],
)
def test_bad_input_shows_its_message_under_the_field_and_writes_nothing(
    desk: Desk, form: str, widget: str, value: Any, button: str, message: str
) -> None:
    at = desk.page("admin")
    event = desk.member_chat
    widget_key = widget if form == "new" else k(widget, event)
    field = at.number_input(key=widget_key) if form == "rules" else at.text_input(key=widget_key)
    field.set_value(value)
    at.button(key=button if form == "new" else submit(form, event, button)).click().run()
    assert not at.exception
    assert message_under(at, widget_key) == message
    assert [e.value for e in at.error] == [message]
    assert field.value == value  # what was typed is kept for correcting
    row = desk.event(event)
    assert (row.slug, row.buffer_before, row.display_timezone) == ("member-chat", None, "UTC")
    assert len(desk.events()) == 2
    assert desk.audit() == []


def test_saving_rules_guests_and_confirmation_changes_the_event(desk: Desk) -> None:
    at = desk.page("member")
    e = desk.member_chat
    at.number_input(key=k("increment", e)).set_value(15)
    at.number_input(key=k("buffer_after", e)).set_value(10)
    at.number_input(key=k("notice", e)).set_value(2)
    at.number_input(key=k("window", e)).set_value(None)
    at.number_input(key=k("daily", e)).set_value(3)
    at.checkbox(key=k("approval", e)).check()
    at.button(key=submit("rules", e, "Save rules")).click().run()
    at.checkbox(key=k("allow_guests", e)).check()
    at.number_input(key=k("guest_limit", e)).set_value(2)
    at.text_input(key=k("zone", e)).input("Asia/Tokyo")
    at.checkbox(key=k("lock_timezone", e)).check()
    at.button(key=submit("guests", e, "Save guests and zone")).click().run()
    at.radio(key=k("confirmation_type", e)).set_value("custom")
    at.text_area(key=k("custom_html", e)).input(
        '<h2>Thanks!</h2><script>alert(1)</script><p onclick="x()">See you</p>'
    )
    at.button(key=submit("confirmation", e, "Save confirmation page")).click().run()
    assert not at.exception
    row = desk.event(e)
    assert (row.slot_increment_minutes, row.buffer_before, row.buffer_after) == (15, None, 10)
    assert (row.min_notice_hours, row.booking_window_days, row.max_daily_bookings) == (2, None, 3)
    assert row.require_approval
    assert (row.allow_guests, row.guest_limit, row.display_timezone, row.lock_timezone) == (
        True,
        2,
        "Asia/Tokyo",
        True,
    )
    assert row.confirmation_page_type.value == "custom"
    assert at.get("html")[0].value == "<h2>Thanks!</h2><p>See you</p>"  # the public page's path
    assert desk.audit() == ["event.updated"] * 3


def test_questions_and_prep_resources_are_edited_as_tables(desk: Desk) -> None:
    at = desk.page("member")
    e = desk.member_chat
    at.session_state[k("questions_table", e)] = {
        "edited_rows": {},
        "added_rows": [
            {
                "order": 2,
                "label": "Level",
                "type": "select",
                "required": False,
                "options": "Beginner; Advanced",
            },
            {"order": 1, "label": "Topic", "type": "text", "required": True},
            {
                "order": 3,
                "label": "Goals",
                "type": "multi_select",
                "required": False,
                "options": "Talk;Write",
            },
            {"order": 4, "label": "Age", "type": "number", "required": False},
        ],
        "deleted_rows": [],
    }
    at.button(key=submit("questions", e, "Save questions")).click().run()
    at.session_state[k("prep_table", e)] = {
        "edited_rows": {},
        "added_rows": [{"order": 1, "title": "Course guide", "url": "https://acme.test/g"}],
        "deleted_rows": [],
    }
    at.button(key=submit("prep", e, "Save prep resources")).click().run()
    assert not at.exception
    with tenant_session(desk.db.app_engine, desk.staff.org) as s:
        questions = [
            (q.label, q.question_type, q.required, q.options) for q in active_questions(s, e)
        ]
        prep = [(p.title, p.url) for p in prep_resources(s, e)]
    assert questions == [
        ("Topic", QuestionType.TEXT, True, []),
        ("Level", QuestionType.SELECT, False, ["Beginner", "Advanced"]),
        ("Goals", QuestionType.MULTI_SELECT, False, ["Talk", "Write"]),
        ("Age", QuestionType.NUMBER, False, []),
    ]
    assert prep == [("Course guide", "https://acme.test/g")]
    assert at.data_editor[0].value["label"].to_list() == ["Topic", "Level", "Goals", "Age"]


def test_a_choice_question_without_options_is_refused_in_the_editor(desk: Desk) -> None:
    at = desk.page("admin")
    e = desk.member_chat
    at.session_state[k("questions_table", e)] = {
        "edited_rows": {},
        "added_rows": [{"order": 1, "label": "Level", "type": "select", "required": False}],
        "deleted_rows": [],
    }
    at.button(key=submit("questions", e, "Save questions")).click().run()
    assert [x.value for x in at.error] == ["Question 1: list the options to choose from."]
    with tenant_session(desk.db.app_engine, desk.staff.org) as s:
        assert active_questions(s, e) == []
    assert desk.audit() == []


def test_hosts_are_chosen_in_order(desk: Desk) -> None:
    at = desk.page("admin", desk.study_hall)
    order = [desk.staff.people["member"], desk.staff.people["admin"]]
    at.multiselect(key=k("host_list", desk.study_hall)).set_value(order)
    at.button(key=submit("hosts", desk.study_hall, "Save hosts")).click().run()
    assert not at.exception
    with tenant_session(desk.db.app_engine, desk.staff.org) as s:
        assert host_ids_of(s, desk.study_hall) == order
    assert desk.audit() == ["event.hosts_set"]


def test_sessions_of_a_group_event_are_added_and_deleted(desk: Desk) -> None:
    at = desk.page("admin", desk.study_hall)
    e = desk.study_hall
    at.date_input(key=k("s_day", e)).set_value(date(2031, 3, 4))
    at.time_input(key=k("s_time", e)).set_value(time(18, 30))
    at.number_input(key=k("s_seats", e)).set_value(6)
    at.button(key=submit("add_session", e, "Add session")).click().run()
    assert not at.exception
    with tenant_session(desk.db.app_engine, desk.staff.org) as s:
        (row,) = s.scalars(select(GroupSession)).all()
    assert (row.starts_at, row.capacity) == (datetime(2031, 3, 4, 18, 30, tzinfo=UTC), 6)
    (sessions,) = [d.value for d in at.dataframe if "seats" in d.value.columns]
    assert sessions["seats"].to_list() == [6]
    assert sessions["start (UTC)"].to_list() == ["Tue 2031-03-04 18:30"]
    at.button(key=k("d_button", e)).click().run()
    assert not at.exception
    with tenant_session(desk.db.app_engine, desk.staff.org) as s:
        assert s.scalars(select(GroupSession)).all() == []
    assert desk.audit() == ["session.created", "session.deleted"]


def test_duplicate_then_activate_and_deactivate(desk: Desk) -> None:
    at = desk.page("manager")
    at.button(key=k("duplicate", desk.member_chat)).click().run()
    assert not at.exception
    copy = desk.events()[-1]
    assert (copy.title, copy.slug, copy.is_active) == (
        "Member chat (copy)",
        "member-chat-copy",
        False,
    )
    assert at.selectbox(key="ev_pick").value == str(copy.id)
    at.button(key=k("activate", copy.id)).click().run()
    assert desk.event(copy.id).is_active
    at.button(key=k("deactivate", copy.id)).click().run()
    assert not desk.event(copy.id).is_active
    assert desk.audit() == ["event.duplicated", "event.updated", "event.deactivated"]


def test_an_event_created_in_the_console_is_bookable_on_its_public_page(
    desk: Desk, tmp_path: Path
) -> None:
    at = desk.page("admin")
    at.text_input(key="ev_new_title").input("Intro chat")
    at.text_input(key="ev_new_slug").input("intro-chat")
    at.button(key=NEW_SUBMIT).click().run()
    assert not at.exception
    (event,) = [e for e in desk.events() if e.slug == "intro-chat"]
    org = desk.staff.org
    with tenant_session(desk.db.app_engine, org) as s:
        org_slug = s.scalars(select(Organization.slug)).one()
    app = create_app(
        {
            "APP_DATABASE_URL": desk.db.app_url,
            "SECRET_KEY": "events-page-test",
            "CLOCK": lambda: NOW,
            "PUBLIC_ORG_SLUG": org_slug,
        }
    )
    site = Site(desk.db, org, app, app.test_client())
    html = site.page("/book/intro-chat?timezone=UTC&date=2031-03-04")
    offered = re.findall(r'<a class="time" href="[^"]*time=([^"&]+)"', html)
    assert offered[:3] == [
        "2031-03-04T09:00:00%2B00:00",
        "2031-03-04T09:30:00%2B00:00",
        "2031-03-04T10:00:00%2B00:00",
    ]  # Admin Person works 09-17 UTC; 24 hours' notice from Monday 08:00
    response = site.book("intro-chat", start=TUESDAY_9, zone="UTC")
    assert response.status_code == 303
    (booking,) = site.bookings()
    assert (booking.event_id, booking.starts_at, booking.status) == (
        event.id,
        TUESDAY_9,
        BookingStatus.CONFIRMED,
    )
    with tenant_session(desk.db.app_engine, org) as s:
        assert s.scalar(select(func.count()).select_from(Booking)) == 1
    relay_all(desk.db.owner_engine, desk.db.app_engine)  # as the worker does
    with desk.db.owner_engine.begin() as conn:
        jobs = conn.execute(
            text("SELECT args FROM procrastinate_jobs WHERE task_name = 'notify.send'")
        ).scalars()
        attendee = next(j for j in jobs if not j["is_host"])
    config = dataclasses.replace(get_config(), smtp_url=None, var_dir=tmp_path)
    send_booking_message(
        desk.db.app_engine,
        config,
        org,
        booking.id,
        TemplateKind(attendee["kind"]),
        attendee["email"],
        attendee["is_host"],
    )
    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["To"] == "Kenji Sato <kenji@example.jp>"
    assert "Intro chat" in message["Subject"]
