"""The Bookings page under different roles, driven with AppTest on the real database."""

from __future__ import annotations

import dataclasses
import email
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.access import Actor, actor_for, create_account, ensure_builtin_roles
from scheduling.booking import BookingRequest, cancel_booking, create_booking
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    AuditLog,
    Booking,
    BookingHost,
    BookingStatus,
    BookingTag,
    Event,
    Feedback,
    MeetingType,
    Note,
    Tag,
    Task,
    TemplateKind,
)
from scheduling.notify.tasks import send_booking_message
from tests.conftest import ROOT, TestDatabase
from tests.console.fields import message_under
from tests.console.harness import Staff, make_staff
from tests.factories import add_event, add_question, add_team, make_org

PAGE = str(ROOT / "admin_streamlit" / "pages" / "bookings.py")


def next_weekday(days_ahead: int) -> datetime:
    """10:00 UTC on a weekday at least `days_ahead` days from today (the page filters
    around today)."""
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=UTC)


@dataclass
class Desk:
    db: TestDatabase
    org: uuid.UUID
    people: dict[str, uuid.UUID]
    pending: uuid.UUID
    other: uuid.UUID

    def page_as(self, role: str) -> AppTest:
        with tenant_session(self.db.app_engine, self.org) as s:
            actor = actor_for(s, self.people[role])
        at = AppTest.from_file(PAGE, default_timeout=30)
        at.session_state[DATABASE_KEY] = self.db.app_url
        at.session_state[ACTOR_KEY] = actor
        return at.run()


@pytest.fixture
def desk(db: TestDatabase) -> Desk:
    org = make_org(db, "Acme School")
    people = {}
    system = Actor.system(org)
    with tenant_session(db.app_engine, org) as s:
        ensure_builtin_roles(s, org)
        for role in ("admin", "member", "viewer"):
            people[role] = create_account(
                s,
                system,
                name=f"{role.title()} Person",
                email=f"{role}@acme.test",
                timezone="UTC",
                role=role,
            ).id
        member = s.get(Admin, (org, people["member"]))
        admin = s.get(Admin, (org, people["admin"]))
        vetted = add_event(s, org, [member], "vetted", require_approval=True)
        open_call = add_event(s, org, [admin], "open-call")
        now = datetime.now(UTC)
        pending = create_booking(
            s,
            org,
            vetted,
            BookingRequest(
                start=next_weekday(2),
                name="Pat Pending",
                email="pat@x.test",
                timezone="Europe/Paris",
            ),
            now=now,
        ).booking.id
        other = create_booking(
            s,
            org,
            open_call,
            BookingRequest(
                start=next_weekday(3), name="Olga Other", email="olga@x.test", timezone="UTC"
            ),
            now=now,
        ).booking.id
        s.execute(text("DELETE FROM procrastinate_jobs"))
    return Desk(db, org, people, pending, other)


def test_member_sees_only_the_bookings_they_host(desk: Desk) -> None:
    at = desk.page_as("member")
    assert not at.exception
    assert at.dataframe[0].value["attendee"].to_list() == ["Pat Pending"]


def test_viewer_sees_everything_but_changes_nothing(desk: Desk) -> None:
    at = desk.page_as("viewer")
    assert not at.exception
    assert sorted(at.dataframe[0].value["attendee"].to_list()) == ["Olga Other", "Pat Pending"]
    assert at.info[0].value == "You can look at this booking but not change it."
    assert [b.key for b in at.button if b.key == "bk_approve"] == []
    assert [b for b in at.get("download_button")] == []  # no bookings.export


def test_approving_in_the_console_sends_the_confirmation_email(desk: Desk, tmp_path: Path) -> None:
    at = desk.page_as("admin")
    assert not at.exception
    at.selectbox(key="bk_choice").set_value(str(desk.pending)).run()
    at.button(key="bk_approve").click().run()
    assert not at.exception
    with tenant_session(desk.db.app_engine, desk.org) as s:
        assert s.get(Booking, (desk.org, desk.pending)).status is BookingStatus.CONFIRMED  # type: ignore[union-attr]
    with desk.db.owner_engine.begin() as conn:
        jobs = (
            conn.execute(
                text("SELECT args FROM procrastinate_jobs WHERE task_name = 'notify.send'")
            )
            .scalars()
            .all()
        )
    assert [(j["kind"], j["email"]) for j in jobs] == [("approved", "pat@x.test")]
    config = dataclasses.replace(get_config(), smtp_url=None, var_dir=tmp_path)
    job = jobs[0]
    send_booking_message(
        desk.db.app_engine,
        config,
        desk.org,
        desk.pending,
        TemplateKind(job["kind"]),
        job["email"],
        job["is_host"],
    )
    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["Subject"].startswith("Approved: Vetted on ")
    assert "(Europe/Paris)" in message["Subject"]


def test_member_cannot_act_on_someone_elses_booking_even_by_calling_the_service(
    desk: Desk,
) -> None:
    from scheduling.access import NotAllowed
    from scheduling.booking import cancel_booking

    with tenant_session(desk.db.app_engine, desk.org) as s:
        member = actor_for(s, desk.people["member"])
        with pytest.raises(NotAllowed, match="cancel this booking"):
            cancel_booking(s, desk.other, now=datetime.now(UTC), actor=member)
        assert s.scalar(select(Booking.status).where(Booking.id == desk.other)) is (
            BookingStatus.CONFIRMED
        )


@dataclass
class Clinic:
    """One person per built-in role; the manager's team is the member; `tutoring` (round
    robin: member, admin) has Sam's booking, which went to the member; the admin's own
    `office-hours` has Olga at the same time."""

    staff: Staff
    sam: uuid.UUID
    olga: uuid.UUID

    def count(self, model: type, **where: Any) -> int:
        with tenant_session(self.staff.db.app_engine, self.staff.org) as s:
            stmt = select(func.count()).select_from(model)
            for column, value in where.items():
                stmt = stmt.where(getattr(model, column) == value)
            return int(s.scalar(stmt) or 0)

    def hosts_of(self, booking_id: uuid.UUID) -> list[str]:
        with tenant_session(self.staff.db.app_engine, self.staff.org) as s:
            return sorted(
                s.scalars(
                    select(Admin.name)
                    .join(BookingHost, BookingHost.admin_id == Admin.id)
                    .where(BookingHost.booking_id == booking_id)
                )
            )

    def page(self, role: str, booking: uuid.UUID | None = None) -> AppTest:
        at = self.staff.page("bookings", role)
        if booking is not None:
            at.selectbox(key="bk_choice").set_value(str(booking)).run()
        assert not at.exception
        return at


@pytest.fixture
def clinic(db: TestDatabase) -> Clinic:
    staff = make_staff(db)
    org, people = staff.org, staff.people
    start = next_weekday(2)
    with tenant_session(db.app_engine, org) as s:
        add_team(s, org, [people["manager"], people["member"]])
        member = s.get(Admin, (org, people["member"]))
        admin = s.get(Admin, (org, people["admin"]))
        tutoring = add_event(s, org, [member, admin], "tutoring", MeetingType.ROUND_ROBIN)
        question = add_question(s, org, tutoring, "What do you need help with?")
        office = add_event(s, org, [admin], "office-hours")
        now = datetime.now(UTC)
        sam = create_booking(
            s,
            org,
            tutoring,
            BookingRequest(
                start=start,
                name="Sam Student",
                email="sam@x.test",
                timezone="UTC",
                answers={str(question.id): "Fractions"},
            ),
            now=now,
        ).booking.id
        olga = create_booking(
            s,
            org,
            office,
            BookingRequest(start=start, name="Olga Other", email="olga@x.test", timezone="UTC"),
            now=now,
        ).booking.id
        s.add(Feedback(org_id=org, booking_id=sam, rating=5, nps_score=10, comment="Great"))
        s.execute(text("DELETE FROM procrastinate_jobs"))
    return Clinic(staff, sam, olga)


CHANGE_CONTROLS = {"bk_move_button", "bk_reason"}


@pytest.mark.parametrize(
    ("role", "attendees", "changes", "exports"),
    [
        ("super_admin", ["Olga Other", "Sam Student"], True, True),
        ("admin", ["Olga Other", "Sam Student"], True, True),
        ("manager", ["Sam Student"], True, True),
        ("member", ["Sam Student"], True, False),
        ("viewer", ["Olga Other", "Sam Student"], False, False),
    ],
)
def test_every_role_sees_its_bookings_and_only_the_controls_it_may_use(
    clinic: Clinic, role: str, attendees: list[str], changes: bool, exports: bool
) -> None:
    at = clinic.page(role, clinic.sam)
    assert sorted(at.dataframe[0].value["attendee"].to_list()) == attendees
    keys = {w.key for w in at.button} | {w.key for w in at.text_input}
    assert keys >= CHANGE_CONTROLS if changes else not CHANGE_CONTROLS & keys
    assert bool(at.get("download_button")) is exports
    hosts = at.selectbox(key="bk_host").options
    assert hosts[0] == "Any host"
    if role == "member":
        assert hosts == ["Any host", "Member Person"]
    answers = at.dataframe[1].value  # after the bookings table
    assert answers.to_dict("records") == [
        {"question": "What do you need help with?", "answer": "Fractions"}
    ]
    assert [m.value for m in at.metric] == ["5/5", "10/10"]


def test_event_and_host_filters_narrow_the_table(clinic: Clinic) -> None:
    at = clinic.page("admin")
    at.selectbox(key="bk_host").set_value(clinic.staff.people["admin"]).run()
    assert at.dataframe[0].value["attendee"].to_list() == ["Olga Other"]
    at.selectbox(key="bk_host").set_value(None).run()
    events = at.selectbox(key="bk_event").options
    assert events == ["Any event", "Office Hours", "Tutoring"]
    with tenant_session(clinic.staff.db.app_engine, clinic.staff.org) as s:
        tutoring = s.scalar(select(Event.id).where(Event.slug == "tutoring"))
    at.selectbox(key="bk_event").set_value(tutoring).run()
    assert at.dataframe[0].value["attendee"].to_list() == ["Sam Student"]


def test_staff_reschedule_for_the_attendee_who_gets_the_usual_email(
    clinic: Clinic, tmp_path: Path
) -> None:
    at = clinic.page("member", clinic.sam)
    picker = at.selectbox(key="bk_move_to")
    new_start = datetime.fromisoformat(picker.value) + timedelta(hours=3)
    picker.set_value(new_start.isoformat()).run()
    at.button(key="bk_move_button").click().run()
    assert not at.exception
    with tenant_session(clinic.staff.db.app_engine, clinic.staff.org) as s:
        old = s.get(Booking, (clinic.staff.org, clinic.sam))
        new = s.scalars(select(Booking).where(Booking.rescheduled_from_id == clinic.sam)).one()
        assert old is not None and old.status is BookingStatus.RESCHEDULED
        assert new.starts_at == new_start
        moved_by = s.scalar(
            select(AuditLog.actor_label).where(AuditLog.action == "booking.rescheduled")
        )
    assert moved_by == "member@acme.test"
    assert at.success[0].value.startswith("Moved to ")
    assert at.selectbox(key="bk_choice").value == str(new.id)  # the page follows the move
    with clinic.staff.db.owner_engine.begin() as conn:
        jobs = (
            conn.execute(
                text("SELECT args FROM procrastinate_jobs WHERE task_name = 'notify.send'")
            )
            .scalars()
            .all()
        )
    to_sam = [j for j in jobs if j["email"] == "sam@x.test"]
    assert [j["kind"] for j in to_sam] == ["reschedule"]
    config = dataclasses.replace(get_config(), smtp_url=None, var_dir=tmp_path)
    send_booking_message(
        clinic.staff.db.app_engine,
        config,
        clinic.staff.org,
        new.id,
        TemplateKind.RESCHEDULE,
        "sam@x.test",
        False,
    )
    (eml,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert message["Subject"].startswith("Rescheduled: Tutoring is now ")


def test_admin_reassigns_to_a_free_host(clinic: Clinic) -> None:
    at = clinic.page("super_admin", clinic.olga)
    # Olga's event has one host: nobody to hand it to.
    assert "bk_to_host" not in {s.key for s in at.selectbox}
    at.selectbox(key="bk_choice").set_value(str(clinic.sam)).run()
    assert at.selectbox(key="bk_to_host").options == ["Admin Person"]
    with tenant_session(clinic.staff.db.app_engine, clinic.staff.org) as s:
        cancel_booking(s, clinic.olga, now=datetime.now(UTC), actor=Actor.system(clinic.staff.org))
    at.button(key="FormSubmitter:bk_reassign-Reassign").click().run()
    assert not at.exception
    assert clinic.hosts_of(clinic.sam) == ["Admin Person"]
    assert at.success[0].value.startswith("Admin Person now hosts this booking")


def test_reassigning_into_a_busy_slot_says_so_under_the_field_and_writes_nothing(
    clinic: Clinic,
) -> None:
    at = clinic.page("admin", clinic.sam)
    at.button(key="FormSubmitter:bk_reassign-Reassign").click().run()
    assert not at.exception
    assert message_under(at, "bk_to_host") == "Admin Person is busy then."
    assert clinic.hosts_of(clinic.sam) == ["Member Person"]
    assert clinic.count(AuditLog, action="booking.reassigned") == 0


def test_tags_notes_and_tasks_from_the_detail_view(clinic: Clinic) -> None:
    at = clinic.page("manager", clinic.sam)
    at.text_input(key="bk_tag_name").input("Exam prep")
    at.button(key="FormSubmitter:bk_tag-Add tag").click().run()
    assert at.success[0].value == "Tagged Exam prep."
    at.text_area(key="bk_note_body").input("Struggles with fractions")
    at.button(key="FormSubmitter:bk_note-Add note").click().run()
    at.text_input(key="bk_task_title").input("Send worksheet")
    at.selectbox(key="bk_task_for").set_value(clinic.staff.people["member"])
    at.date_input(key="bk_task_due_day").set_value(date(2031, 1, 6))
    at.button(key="FormSubmitter:bk_task-Add task").click().run()
    assert not at.exception
    with tenant_session(clinic.staff.db.app_engine, clinic.staff.org) as s:
        tag = s.scalar(select(Tag.name))
        note = s.scalars(select(Note)).one()
        task = s.scalars(select(Task)).one()
    assert tag == "Exam prep"
    assert (note.body, note.author_id) == (
        "Struggles with fractions",
        clinic.staff.people["manager"],
    )
    assert (task.title, task.assignee_id, task.due_at) == (
        "Send worksheet",
        clinic.staff.people["member"],
        datetime(2031, 1, 6, 9, tzinfo=UTC),  # the manager's zone is UTC
    )
    assert at.text_input(key="bk_task_title").value == ""  # the form starts afresh
    at.button(key=f"bk_task_done_{task.id}").click().run()
    with tenant_session(clinic.staff.db.app_engine, clinic.staff.org) as s:
        assert s.scalar(select(Task.done_at)) is not None
    with tenant_session(clinic.staff.db.app_engine, clinic.staff.org) as s:
        tag_id = s.scalar(select(Tag.id))
    at.button(key=f"bk_untag_{tag_id}").click().run()
    assert clinic.count(BookingTag) == 0
    assert clinic.count(AuditLog, action="task.completed") == 1


@pytest.mark.parametrize(
    ("form", "widget", "message"),
    [
        ("FormSubmitter:bk_note-Add note", "bk_note_body", "Please write something."),
        ("FormSubmitter:bk_tag-Add tag", "bk_tag_name", "Please enter a tag."),
        ("FormSubmitter:bk_task-Add task", "bk_task_title", "Please give the task a title."),
    ],
)
def test_empty_fields_are_refused_under_the_field_and_write_nothing(
    clinic: Clinic, form: str, widget: str, message: str
) -> None:
    at = clinic.page("member", clinic.sam)
    audited = clinic.count(AuditLog)
    at.button(key=form).click().run()
    assert not at.exception
    assert message_under(at, widget) == message
    assert [clinic.count(m) for m in (Note, Tag, Task)] == [0, 0, 0]
    assert clinic.count(AuditLog) == audited
