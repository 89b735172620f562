"""Editing email templates: permissions, validation, what the sender then uses, preview."""

from __future__ import annotations

import email
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import select, text

from scheduling.access import Actor, NotAllowed, actor_for, create_account, ensure_builtin_roles
from scheduling.booking import BookingRequest, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin, AuditLog, EmailTemplate, Event, TemplateKind
from scheduling.notify.compose import Reader, context_for
from scheduling.notify.editing import (
    InvalidTemplate,
    editable_events,
    preview_template,
    reset_template,
    template_variables,
    templates_in_use,
    update_template,
)
from scheduling.notify.sample import SAMPLE_ATTENDEE, sample_view
from scheduling.notify.templates import DEFAULT_TEMPLATES, VARIABLES
from tests.conftest import TestDatabase
from tests.factories import add_event, make_org
from tests.notify.delivery import deliver_queued, file_config

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 15, tzinfo=UTC)
CONFIRMATION = TemplateKind.CONFIRMATION


@dataclass
class School:
    db: TestDatabase
    org: uuid.UUID
    people: dict[str, uuid.UUID]
    events: dict[str, uuid.UUID]

    def actor(self, role: str) -> Actor:
        with tenant_session(self.db.app_engine, self.org) as s:
            return actor_for(s, self.people[role])

    def book(self, slug: str, email_address: str, start: datetime = MONDAY) -> uuid.UUID:
        with tenant_session(self.db.app_engine, self.org) as s:
            event = s.get(Event, (self.org, self.events[slug]))
            assert event is not None
            request = BookingRequest(
                start=start, name="Kenji Sato", email=email_address, timezone="Asia/Tokyo"
            )
            return create_booking(s, self.org, event, request, now=NOW).booking.id


@pytest.fixture
def school(db: TestDatabase) -> School:
    org = make_org(db, "Acme School")
    system = Actor.system(org)
    people, events = {}, {}
    with tenant_session(db.app_engine, org) as s:
        ensure_builtin_roles(s, org)
        for role in ("admin", "member", "viewer"):
            people[role] = create_account(
                s,
                system,
                name=f"{role.title()} Person",
                email=f"{role}@acme.test",
                timezone="America/New_York",
                role=role,
            ).id
        member = s.get_one(Admin, (org, people["member"]))
        admin = s.get_one(Admin, (org, people["admin"]))
        events["mine"] = add_event(s, org, [member], "portfolio-review").id
        events["theirs"] = add_event(s, org, [admin], "admissions-call").id
    return School(db, org, people, events)


def saved(db: TestDatabase, org: uuid.UUID) -> list[tuple[uuid.UUID | None, str, str]]:
    with tenant_session(db.app_engine, org) as s:
        return [
            (t.event_id, t.kind.value, t.subject)
            for t in s.scalars(select(EmailTemplate).order_by(EmailTemplate.subject))
        ]


def audit_actions(db: TestDatabase, org: uuid.UUID) -> list[str]:
    with tenant_session(db.app_engine, org) as s:
        return list(
            s.scalars(
                select(AuditLog.action)
                .where(AuditLog.action.like("template.%"))
                .order_by(AuditLog.created_at)
            )
        )


def mail(folder: Path) -> list[EmailMessage]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=default_policy)  # type: ignore[misc]
        for p in sorted((folder / "mail").glob("*.eml"))
    ]


def test_the_next_confirmation_uses_the_saved_template(school: School, tmp_path: Path) -> None:
    with tenant_session(school.db.app_engine, school.org) as s:
        update_template(
            s,
            school.actor("admin"),
            CONFIRMATION,
            None,
            "Booked! {{ event_title }}, {{ short_when }}",
            "Dear {{ recipient_name }},\nsee you {{ when }}.\n-- {{ organization }}",
        )
    school.book("mine", "kenji@example.jp")
    assert deliver_queued(school.db, file_config(tmp_path)) == 2
    attendee, host = mail(tmp_path)
    assert str(attendee["To"]) == "Kenji Sato <kenji@example.jp>"
    assert attendee["Subject"] == "Booked! Portfolio Review, Tue 1 Dec, 00:00 (Asia/Tokyo)"
    text_part = attendee.get_body(("plain",))
    assert text_part is not None
    assert text_part.get_content() == (
        "Dear Kenji Sato,\nsee you Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo "
        "(UTC+09:00).\n-- Acme School\n"
    )
    assert host["Subject"] == "Booked! Portfolio Review, Mon 30 Nov, 10:00 (America/New_York)"
    assert attendee["X-LiveSchool-Org"] == str(school.org)
    assert attendee["Date"] is not None
    assert audit_actions(school.db, school.org) == ["template.updated"]


def test_an_events_own_template_beats_the_organisations_which_beats_the_default(
    school: School, tmp_path: Path
) -> None:
    admin = school.actor("admin")
    with tenant_session(school.db.app_engine, school.org) as s:
        update_template(s, admin, CONFIRMATION, None, "Org: {{ event_title }}", "org body")
        update_template(
            s, admin, CONFIRMATION, school.events["mine"], "Event: {{ event_title }}", "event"
        )
    school.book("mine", "a@example.com")
    school.book("theirs", "b@example.com")
    config = file_config(tmp_path)
    deliver_queued(school.db, config)
    subjects = {str(m["To"]): m["Subject"] for m in mail(tmp_path)}
    assert subjects["Kenji Sato <a@example.com>"] == "Event: Portfolio Review"
    assert subjects["Kenji Sato <b@example.com>"] == "Org: Admissions Call"

    with tenant_session(school.db.app_engine, school.org) as s:
        reset_template(s, admin, CONFIRMATION, school.events["mine"])
        reset_template(s, admin, CONFIRMATION, None)
    assert saved(school.db, school.org) == []
    for p in (tmp_path / "mail").glob("*.eml"):
        p.unlink()
    school.book("mine", "c@example.com", MONDAY.replace(hour=16))
    deliver_queued(school.db, config)
    (to_c,) = [m for m in mail(tmp_path) if "c@example.com" in str(m["To"])]
    assert to_c["Subject"] == "Confirmed: Portfolio Review on Tue 1 Dec, 01:00 (Asia/Tokyo)"
    assert audit_actions(school.db, school.org) == [
        "template.updated",
        "template.updated",
        "template.reset",
        "template.reset",
    ]


def test_saving_twice_updates_the_one_row_and_audits_before_and_after(school: School) -> None:
    admin = school.actor("admin")
    with tenant_session(school.db.app_engine, school.org) as s:
        first = update_template(s, admin, TemplateKind.REMINDER, None, "One", "first")
        second = update_template(s, admin, TemplateKind.REMINDER, None, "Two", "second")
        assert first.id == second.id
        rows = s.scalars(
            select(AuditLog).where(AuditLog.action == "template.updated").order_by(AuditLog.id)
        ).all()
    assert saved(school.db, school.org) == [(None, "reminder", "Two")]
    by_subject = {r.new_values["subject"]: r for r in rows}  # type: ignore[index]
    assert by_subject["One"].old_values is None
    assert by_subject["Two"].old_values == {
        "kind": "reminder",
        "event_id": None,
        "subject": "One",
        "body": "first",
    }


@pytest.mark.parametrize(
    ("subject", "body", "errors"),
    [
        ("", "Hello", {"subject": "Please enter a subject."}),
        ("Hi", "  \n", {"body": "Please enter a message."}),
        ("x" * 501, "Hello", {"subject": "Keep the subject under 500 characters."}),
        (
            "{{ nope }}",
            "{% if %}",
            {
                "subject": "The subject has a problem: 'nope' is undefined.",
                "body": "The body has a problem on line 1: Expected an expression, "
                "got 'end of statement block'",
            },
        ),
        (
            "Hi",
            "{% if is_host %}{{ secret_thing }}{% endif %}",
            {"body": "The body has a problem: 'secret_thing' is undefined."},
        ),
        (
            "Hi",
            "{{ ''.__class__.__mro__ }}",
            {
                "body": "The body has a problem: access to attribute '__class__' of 'str' "
                "object is unsafe."
            },
        ),
    ],
)
def test_bad_templates_are_refused_per_field_and_nothing_is_written(
    school: School, subject: str, body: str, errors: dict[str, str]
) -> None:
    with (
        pytest.raises(InvalidTemplate) as info,
        tenant_session(school.db.app_engine, school.org) as s,
    ):
        update_template(s, school.actor("admin"), CONFIRMATION, None, subject, body)
    assert info.value.errors == errors
    assert saved(school.db, school.org) == []
    assert audit_actions(school.db, school.org) == []


def test_who_may_change_which_templates(school: School) -> None:
    member, viewer = school.actor("member"), school.actor("viewer")
    with tenant_session(school.db.app_engine, school.org) as s:
        with pytest.raises(NotAllowed, match="change the organisation's email templates"):
            update_template(s, member, CONFIRMATION, None, "Hi", "Hello")
        with pytest.raises(NotAllowed, match="change this event's email templates"):
            update_template(s, member, CONFIRMATION, school.events["theirs"], "Hi", "Hello")
        with pytest.raises(NotAllowed):
            update_template(s, viewer, CONFIRMATION, school.events["mine"], "Hi", "Hello")
        update_template(s, member, CONFIRMATION, school.events["mine"], "Mine", "Hello")
        assert [e.slug for e in editable_events(s, member)] == ["portfolio-review"]
        assert editable_events(s, viewer) == []
    assert saved(school.db, school.org) == [(school.events["mine"], "confirmation", "Mine")]


def test_resetting_what_is_not_customised_is_refused(school: School) -> None:
    with (
        pytest.raises(InvalidTemplate) as info,
        tenant_session(school.db.app_engine, school.org) as s,
    ):
        reset_template(s, school.actor("admin"), CONFIRMATION, school.events["mine"])
    assert info.value.errors == {
        "": "Nothing to reset: this already uses the organisation's template."
    }


def test_templates_in_use_says_where_each_comes_from(school: School) -> None:
    admin = school.actor("admin")
    with tenant_session(school.db.app_engine, school.org) as s:
        update_template(s, admin, TemplateKind.REMINDER, None, "Org reminder", "b")
        update_template(s, admin, CONFIRMATION, school.events["mine"], "Own", "b")
        rows = templates_in_use(s, admin)
        member_rows = templates_in_use(s, school.actor("viewer"))
    table = {(r.scope, r.kind.value): (r.source, r.subject) for r in rows}
    assert len(rows) == 2 * len(TemplateKind)
    assert table[("Organisation", "reminder")] == ("organisation", "Org reminder")
    assert table[("Organisation", "confirmation")] == (
        "default",
        DEFAULT_TEMPLATES[CONFIRMATION].subject,
    )
    assert table[("Portfolio Review", "confirmation")] == ("event", "Own")
    assert table[("Portfolio Review", "reminder")] == ("organisation", "Org reminder")
    assert table[("Portfolio Review", "cancellation")][0] == "default"
    assert len(member_rows) == len(rows)  # viewers read the whole organisation


def test_variables_are_those_the_sender_builds_and_differ_by_kind() -> None:
    view = sample_view(CONFIRMATION, now=NOW)
    built = context_for(CONFIRMATION, view, Reader(SAMPLE_ATTENDEE, is_host=False))
    assert set(built) == set(VARIABLES)
    confirmation = {v.name for v in template_variables(CONFIRMATION)}
    assert {"manage_url", "answers", "when"} <= confirmation
    assert not confirmation & {"starts_in", "previous_when", "reason", "cancelled_by"}
    assert "starts_in" in {v.name for v in template_variables(TemplateKind.REMINDER)}
    reschedule = {v.name: v for v in template_variables(TemplateKind.RESCHEDULE)}
    assert reschedule["previous_when"].example.startswith("Wednesday 4 March 2026, 15:00")
    assert {"reason", "cancelled_by"} <= {
        v.name for v in template_variables(TemplateKind.CANCELLATION)
    }


def test_preview_renders_subject_text_and_html_as_each_reader_would_receive_it() -> None:
    source = "Hi {{ recipient_name }} <b>\n{% if manage_url %}Change: {{ manage_url }}{% endif %}"
    attendee = preview_template(
        CONFIRMATION, "{{ event_title }} at {{ short_when }}", source, as_host=False, now=NOW
    )
    assert attendee.subject == "Portfolio Review at Mon 30 Nov, 15:00 (Europe/London)"
    assert attendee.text == (
        "Hi Maya Okafor <b>\nChange: https://book.example.com/booking/sample?token=sample-token\n"
    )
    assert "Hi Maya Okafor &lt;b&gt;" in attendee.html
    assert '<a href="https://book.example.com/booking/sample?token=sample-token">' in attendee.html
    host = preview_template(
        CONFIRMATION,
        "{{ event_title }}",
        source,
        as_host=True,
        now=NOW,
        organization="Acme School",
        event_title="Admissions Call",
    )
    assert host.subject == "Admissions Call"
    assert host.text == "Hi Alex Rivera <b>\n"  # hosts never get the attendee's link
    with pytest.raises(InvalidTemplate) as info:
        preview_template(CONFIRMATION, "ok", "{{ when", as_host=False, now=NOW)
    assert list(info.value.errors) == ["body"]


def test_no_template_rows_leak_between_organisations(school: School) -> None:
    other = make_org(school.db, "Other School")
    with tenant_session(school.db.app_engine, school.org) as s:
        update_template(s, school.actor("admin"), CONFIRMATION, None, "Acme only", "b")
    with tenant_session(school.db.app_engine, other) as s:
        rows = templates_in_use(s, Actor.system(other))
        assert s.scalar(text("SELECT count(*) FROM oh_email_templates")) == 0
    assert {r.subject for r in rows if r.kind is CONFIRMATION} == {
        DEFAULT_TEMPLATES[CONFIRMATION].subject
    }
