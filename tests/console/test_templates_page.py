"""The Email templates page under every built-in role (AppTest on the real database)."""

from __future__ import annotations

import base64
import email
from datetime import UTC, date, datetime, time, timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from scheduling.booking import BookingRequest, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin, AuditLog, EmailTemplate, Event, TemplateKind
from scheduling.notify.templates import DEFAULT_TEMPLATES
from tests.conftest import TestDatabase
from tests.console.harness import ROLES, Staff, make_staff
from tests.factories import add_event
from tests.notify.delivery import deliver_queued, file_config

ORGANISATION = "Organisation (every event without its own)"
EVENTS = {"admin": "Admin Call", "manager": "Manager Call", "member": "Member Call"}


@pytest.fixture
def staff(db: TestDatabase) -> Staff:
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        for role in EVENTS:
            host = s.get(Admin, (staff.org, staff.people[role]))
            assert host is not None
            add_event(s, staff.org, [host], f"{role}-call")
    return staff


def rows(staff: Staff) -> list[tuple[str | None, str, str]]:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        titles = {e.id: e.title for e in s.scalars(select(Event))}
        return [
            (titles.get(t.event_id) if t.event_id else None, t.kind.value, t.subject)
            for t in s.scalars(select(EmailTemplate))
        ]


def audit_actions(staff: Staff) -> list[str]:
    with tenant_session(staff.db.app_engine, staff.org) as s:
        return list(s.scalars(select(AuditLog.action).where(AuditLog.action.like("template.%"))))


def frame_html(at: AppTest) -> str:
    (frame,) = at.get("iframe")
    src = frame.proto.src
    assert src.startswith("data:text/html;charset=utf-8;base64,")
    return base64.b64decode(src.split(",", 1)[1]).decode()


def edit(at: AppTest, subject: str, body: str) -> AppTest:
    at.text_input(key="tpl_subject").set_value(subject)
    at.text_area(key="tpl_body").set_value(body)
    return at.button(key="tpl_save").click().run()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_scopes_it_may_edit(staff: Staff, role: str) -> None:
    at = staff.page("templates", role)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(TemplateKind)  # organisation-wide, all defaults so far
    assert set(table["uses"].to_list()) == {"the default template"}
    if role == "viewer":
        assert at.info[0].value == (
            "Only people who can change events can change their email templates."
        )
        assert [b.key for b in at.button] == []
        return
    everything = [ORGANISATION, *(f"Event: {t} ({r}-call)" for r, t in EVENTS.items())]
    expected = {
        "super_admin": everything,
        "admin": everything,
        "manager": ["Event: Manager Call (manager-call)"],
        "member": ["Event: Member Call (member-call)"],
    }[role]
    assert at.selectbox(key="tpl_scope").options == expected
    assert (
        at.text_input(key="tpl_subject").value
        == DEFAULT_TEMPLATES[TemplateKind.CONFIRMATION].subject
    )
    assert [b.key for b in at.button] == ["tpl_save"]  # nothing custom to reset yet


def test_admin_saves_the_confirmation_and_the_next_email_carries_it(
    staff: Staff, tmp_path: Path
) -> None:
    at = staff.page("templates", "admin")
    at = edit(at, "You're in: {{ event_title }} ({{ short_when }})", "Hi {{ recipient_name }}")
    assert not at.exception
    assert at.success[0].value == "Saved: Confirmation messages now use this template."
    assert rows(staff) == [
        (None, "confirmation", "You're in: {{ event_title }} ({{ short_when }})")
    ]
    assert audit_actions(staff) == ["template.updated"]
    assert str(at.text_input(key="tpl_subject").value).startswith("You're in:")
    assert [b.key for b in at.button] == ["tpl_save", "tpl_reset"]

    day = date.today() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = datetime.combine(day, time(14), tzinfo=UTC)
    with tenant_session(staff.db.app_engine, staff.org) as s:
        event = s.scalars(select(Event).where(Event.slug == "member-call")).one()
        request = BookingRequest(start=start, name="Ines", email="ines@x.test", timezone="UTC")
        create_booking(s, staff.org, event, request, now=datetime.now(UTC))
    deliver_queued(staff.db, file_config(tmp_path))
    messages = [
        email.message_from_bytes(p.read_bytes(), policy=default_policy)
        for p in (tmp_path / "mail").glob("*.eml")
    ]
    to_ines = [m for m in messages if "ines@x.test" in str(m["To"])]
    assert [m["Subject"] for m in to_ines] == [
        f"You're in: Member Call ({start:%a} {start.day} {start:%b}, 14:00 (UTC))"
    ]


def test_template_errors_show_under_their_fields_and_nothing_is_saved(staff: Staff) -> None:
    at = staff.page("templates", "admin")
    at = edit(at, "Hello {{ who }}", "{% for x in %}")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The subject has a problem: 'who' is undefined.",
        "The body has a problem on line 1: Expected an expression, got 'end of statement block'",
    ]
    assert at.text_input(key="tpl_subject").value == "Hello {{ who }}"  # kept for fixing
    assert at.warning[0].value == "The preview appears once the template has no problems."
    assert rows(staff) == []
    assert audit_actions(staff) == []


def test_member_customises_their_event_then_resets_it(staff: Staff) -> None:
    at = staff.page("templates", "member")
    at.selectbox(key="tpl_kind").set_value(TemplateKind.REMINDER).run()
    assert (
        at.text_input(key="tpl_subject").value == DEFAULT_TEMPLATES[TemplateKind.REMINDER].subject
    )
    at = edit(at, "Soon: {{ event_title }} {{ starts_in }}", "See you {{ when }}")
    assert rows(staff) == [("Member Call", "reminder", "Soon: {{ event_title }} {{ starts_in }}")]
    assert "Reminder messages for this event use this event's own template now." in [
        c.value for c in at.caption
    ]
    at.button(key="tpl_reset").click().run()
    assert not at.exception
    assert at.success[0].value == "Reminder messages use the organisation's template again."
    assert rows(staff) == []
    assert sorted(audit_actions(staff)) == ["template.reset", "template.updated"]
    assert (
        at.text_input(key="tpl_subject").value == DEFAULT_TEMPLATES[TemplateKind.REMINDER].subject
    )


def test_preview_follows_the_text_being_edited_for_either_reader(staff: Staff) -> None:
    at = staff.page("templates", "admin")
    at.selectbox(key="tpl_scope").set_value("Event: Manager Call (manager-call)").run()
    at.text_input(key="tpl_subject").set_value("{{ event_title }} for {{ recipient_name }}")
    at.text_area(key="tpl_body").set_value("<script>alert(1)</script> {{ attendee_email }}").run()
    assert not at.exception
    assert "Subject: Manager Call for Maya Okafor" in [t.value for t in at.text]
    html = frame_html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; maya.okafor@example.com" in html
    assert "<script" not in html.lower()
    assert "Content-Security-Policy" in html
    at.radio(key="tpl_reader").set_value("Host").run()
    assert "Subject: Manager Call for Alex Rivera" in [t.value for t in at.text]
    assert rows(staff) == []  # previewing saves nothing
