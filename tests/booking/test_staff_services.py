"""Staff services on bookings: who may tag, note, task, reassign and read; validation; detail."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.access import Actor, NotAllowed, actor_for, ensure_builtin_roles
from scheduling.booking import (
    BookingFilter,
    BookingRequest,
    InvalidBooking,
    add_note,
    add_tag,
    booking_detail,
    complete_task,
    create_booking,
    create_task,
    delete_task,
    filter_choices,
    get_event,
    list_bookings,
    mark_attendance,
    possible_new_hosts,
    reassign_booking,
    remove_tag,
    reschedule_booking,
)
from scheduling.db import tenant_session
from scheduling.models import (
    Admin,
    Attendance,
    AuditLog,
    BookingTag,
    Feedback,
    MeetingType,
    Note,
    QuestionType,
    Tag,
    Task,
    Team,
    TeamMember,
)
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_question, make_org

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
TEN = datetime(2026, 11, 30, 10, tzinfo=NY)  # Monday


@dataclass
class Office:
    """`me` (whose role each test picks) and `mate` in team Tutors; `stranger` outside it.

    Everyone has an own one-on-one booking at 11:00; `clinic` (round robin, all three) has
    a booking at 10:00 that went to me.
    """

    db: TestDatabase
    org: uuid.UUID
    ids: dict[str, uuid.UUID]
    own: dict[str, uuid.UUID]
    clinic: uuid.UUID

    def actor(self, role: str) -> Actor:
        with tenant_session(self.db.app_engine, self.org) as s:
            roles = ensure_builtin_roles(s, self.org)
            me = s.get(Admin, (self.org, self.ids["me"]))
            assert me is not None
            me.role_id = roles[role].id
            s.flush()
            return actor_for(s, self.ids["me"])

    def count(self, model: type, **where: Any) -> int:
        with tenant_session(self.db.app_engine, self.org) as s:
            stmt = select(func.count()).select_from(model)
            for column, value in where.items():
                stmt = stmt.where(getattr(model, column) == value)
            return int(s.scalar(stmt) or 0)


def _book(s: Session, org: uuid.UUID, slug: str, start: datetime, email: str) -> uuid.UUID:
    request = BookingRequest(start=start, name="Sam Student", email=email, timezone="Europe/Paris")
    return create_booking(s, org, get_event(s, slug=slug), request, now=NOW).booking.id


@pytest.fixture
def office(db: TestDatabase) -> Office:
    org = make_org(db)
    ids, own = {}, {}
    with tenant_session(db.app_engine, org) as s:
        team = Team(org_id=org, id=uuid.uuid4(), name="Tutors", slug="tutors")
        s.add(team)
        hosts = []
        for who in ("me", "mate", "stranger"):
            host = add_host(s, org, f"{who.title()} Host", "America/New_York")
            hosts.append(host)
            ids[who] = host.id
            if who != "stranger":
                s.add(TeamMember(org_id=org, team_id=team.id, admin_id=host.id))
            add_event(s, org, [host], f"{who}-call")
            own[who] = _book(s, org, f"{who}-call", TEN.replace(hour=11), f"sam-{who}@x.test")
        add_event(s, org, hosts, "clinic", MeetingType.ROUND_ROBIN)
        clinic = _book(s, org, "clinic", TEN, "clinic@x.test")
    return Office(db, org, ids, own, clinic)


def attempt(office: Office, role: str, action: Callable[[Session, Actor, Office], object]) -> str:
    """Run `action` as `me` holding `role`, then roll it back: 'ok' or 'denied'."""
    actor = office.actor(role)
    try:
        with tenant_session(office.db.app_engine, office.org) as s:
            action(s, actor, office)
            raise LookupError("undo")
    except NotAllowed:
        return "denied"
    except LookupError:
        return "ok"


WHOSE = {"mine": "me", "mate's": "mate", "stranger's": "stranger"}
WRITES: dict[str, Callable[[Session, Actor, uuid.UUID], object]] = {
    "tag": lambda s, a, b: add_tag(s, a, b, "VIP"),
    "note": lambda s, a, b: add_note(s, a, b, "Prefers mornings"),
    "task": lambda s, a, b: create_task(s, a, b, "Send slides"),
}


def _write(verb: str, whose: str) -> Callable[[Session, Actor, Office], object]:
    return lambda s, a, o: WRITES[verb](s, a, o.own[WHOSE[whose]])


ACTIONS: dict[str, Callable[[Session, Actor, Office], object]] = {
    f"{verb} {whose}": _write(verb, whose) for verb in WRITES for whose in WHOSE
} | {
    "reassign mine to mate": lambda s, a, o: reassign_booking(
        s, o.clinic, o.ids["mate"], now=NOW, actor=a
    ),
    "reassign mine to stranger": lambda s, a, o: reassign_booking(
        s, o.clinic, o.ids["stranger"], now=NOW, actor=a
    ),
    "read mate's": lambda s, a, o: booking_detail(s, a, o.own["mate"]),
    "read stranger's": lambda s, a, o: booking_detail(s, a, o.own["stranger"]),
}
EXPECTED = {
    "super_admin": set(ACTIONS),
    "admin": set(ACTIONS),
    "manager": {
        "tag mine",
        "tag mate's",
        "note mine",
        "note mate's",
        "task mine",
        "task mate's",
        "reassign mine to mate",
        "read mate's",
    },
    "member": {"tag mine", "note mine", "task mine"},
    "viewer": {"read mate's", "read stranger's"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_by_action_matrix(office: Office, role: str) -> None:
    outcome = {name: attempt(office, role, action) for name, action in ACTIONS.items()}
    assert outcome == {a: "ok" if a in EXPECTED[role] else "denied" for a in ACTIONS}
    assert office.count(AuditLog, action="note.created") == 0  # every attempt rolled back


def test_refusals_say_what_was_refused(office: Office) -> None:
    member = office.actor("member")
    with tenant_session(office.db.app_engine, office.org) as s:
        with pytest.raises(NotAllowed, match=r"^You are not allowed to tag this booking\.$"):
            add_tag(s, member, office.own["stranger"], "VIP")
        with pytest.raises(NotAllowed, match=r"^You are not allowed to hand bookings to that host"):
            reassign_booking(s, office.clinic, office.ids["mate"], now=NOW, actor=member)


def test_new_host_choices_are_the_event_hosts_the_actor_may_hand_to(office: Office) -> None:
    for role, expected in (
        ("admin", ["Mate Host", "Stranger Host"]),
        ("manager", ["Mate Host"]),
        ("member", []),
    ):
        actor = office.actor(role)
        with tenant_session(office.db.app_engine, office.org) as s:
            names = [name for _, name in possible_new_hosts(s, actor, office.clinic)]
        assert (role, names) == (role, expected)


def test_filters_offer_events_and_hosts_within_reach(office: Office) -> None:
    seen = {}
    for role in ("admin", "manager", "member"):
        actor = office.actor(role)
        with tenant_session(office.db.app_engine, office.org) as s:
            choices = filter_choices(s, actor)
        seen[role] = ([n for _, n in choices.events], [n for _, n in choices.hosts])
    assert seen == {
        "admin": (
            ["Clinic", "Mate Call", "Me Call", "Stranger Call"],
            ["Mate Host", "Me Host", "Stranger Host"],
        ),
        "manager": (["Clinic", "Mate Call", "Me Call"], ["Mate Host", "Me Host"]),
        "member": (["Clinic", "Me Call"], ["Me Host"]),
    }


def test_event_and_host_filters(office: Office) -> None:
    admin = office.actor("admin")
    with tenant_session(office.db.app_engine, office.org) as s:
        clinic = get_event(s, slug="clinic").id
        by_event = list_bookings(s, admin, BookingFilter(event_id=clinic))
        by_host = list_bookings(s, admin, BookingFilter(host_id=office.ids["me"]))
        both = list_bookings(
            s, admin, BookingFilter(event_id=clinic, host_id=office.ids["stranger"])
        )
    assert [(r.event, r.attendee_email) for r in by_event] == [("Clinic", "clinic@x.test")]
    assert [r.attendee_email for r in by_host] == ["clinic@x.test", "sam-me@x.test"]
    assert both == []


@pytest.mark.parametrize(
    ("write", "errors"),
    [
        (lambda s, a, o: add_tag(s, a, o.own["me"], "   "), {"tag": "Please enter a tag."}),
        (
            lambda s, a, o: add_tag(s, a, o.own["me"], "x" * 101),
            {"tag": "Tags are at most 100 characters."},
        ),
        (lambda s, a, o: add_note(s, a, o.own["me"], " \n "), {"note": "Please write something."}),
        (
            lambda s, a, o: create_task(s, a, o.own["me"], " ", assignee_id=uuid.uuid4()),
            {
                "title": "Please give the task a title.",
                "assignee": "Choose an active person, or nobody.",
            },
        ),
        (
            lambda s, a, o: create_task(
                s, a, o.own["me"], "Call back", due_at=datetime(2026, 12, 1, 9)
            ),
            {"due_at": "The due time needs a time zone."},
        ),
        (
            lambda s, a, o: remove_tag(s, a, o.own["me"], uuid.uuid4()),
            {"tag": "This booking does not have that tag."},
        ),
    ],
    ids=["empty tag", "long tag", "empty note", "task title and assignee", "naive due", "untag"],
)
def test_bad_input_is_refused_by_field_and_writes_nothing(
    office: Office, write: Callable[[Session, Actor, Office], object], errors: dict[str, str]
) -> None:
    member = office.actor("member")
    audited = office.count(AuditLog)
    with (
        pytest.raises(InvalidBooking) as refused,
        tenant_session(office.db.app_engine, office.org) as s,
    ):
        write(s, member, office)
    assert refused.value.errors == errors
    assert [office.count(m) for m in (Tag, BookingTag, Note, Task)] == [0, 0, 0, 0]
    assert office.count(AuditLog) == audited


def test_a_deactivated_person_cannot_be_given_a_task(office: Office) -> None:
    with tenant_session(office.db.app_engine, office.org) as s:
        gone = add_host(s, office.org, "Gone Host", "UTC")
        gone.is_active = False
    with (
        pytest.raises(InvalidBooking, match="Choose an active person"),
        tenant_session(office.db.app_engine, office.org) as s,
    ):
        create_task(s, office.actor("admin"), office.own["me"], "Call", assignee_id=gone.id)
    assert office.count(Task) == 0


def test_tags_are_reused_by_name_and_tagging_twice_changes_nothing(office: Office) -> None:
    member = office.actor("member")
    admin = office.actor("admin")
    with tenant_session(office.db.app_engine, office.org) as s:
        first = add_tag(s, member, office.own["me"], " Needs  follow-up ")
        again = add_tag(s, member, office.own["me"], "needs follow-up")
        other = add_tag(s, admin, office.own["mate"], "NEEDS FOLLOW-UP")
    assert first.id == again.id == other.id
    assert first.name == "Needs follow-up"
    assert office.count(Tag) == 1
    assert office.count(BookingTag) == 2
    assert office.count(AuditLog, action="booking.tag_added") == 2
    assert office.count(AuditLog, action="tag.created") == 1
    with tenant_session(office.db.app_engine, office.org) as s:
        remove_tag(s, member, office.own["me"], first.id)
    assert office.count(BookingTag, booking_id=office.own["me"]) == 0
    assert office.count(Tag) == 1  # the organisation keeps its tag


def test_the_assignee_may_tick_off_a_task_on_a_booking_they_cannot_change(office: Office) -> None:
    admin = office.actor("admin")
    with tenant_session(office.db.app_engine, office.org) as s:
        task = create_task(
            s,
            admin,
            office.own["stranger"],
            "Share the recording",
            assignee_id=office.ids["me"],
            due_at=datetime(2026, 12, 1, 9, tzinfo=NY),
        )
    member = office.actor("member")
    done_at = NOW + timedelta(days=3)
    with tenant_session(office.db.app_engine, office.org) as s:
        assert complete_task(s, member, task.id, now=done_at).done_at == done_at
    with tenant_session(office.db.app_engine, office.org) as s:
        assert complete_task(s, member, task.id, now=done_at, done=False).done_at is None
    with (
        pytest.raises(NotAllowed, match="delete this task"),
        tenant_session(office.db.app_engine, office.org) as s,
    ):
        delete_task(s, member, task.id)
    actions = sorted(a for a in _audit_actions(office) if a.startswith("task."))
    assert actions == ["task.completed", "task.created", "task.reopened"]
    with tenant_session(office.db.app_engine, office.org) as s:
        delete_task(s, admin, task.id)
    assert office.count(Task) == 0


def _audit_actions(office: Office) -> list[str]:
    with tenant_session(office.db.app_engine, office.org) as s:
        return list(s.scalars(select(AuditLog.action)))


def test_detail_gathers_everything_about_one_booking(office: Office) -> None:
    with tenant_session(office.db.app_engine, office.org) as s:
        event = add_event(s, office.org, [s.get(Admin, (office.org, office.ids["mate"]))], "intro")
        event.allow_guests, event.guest_limit = True, 2
        goal = add_question(s, office.org, event, "Your goal?", position=1)
        level = add_question(
            s,
            office.org,
            event,
            "Level",
            QuestionType.MULTI_SELECT,
            options=["Beginner", "Advanced"],
            position=0,
        )
        booking = create_booking(
            s,
            office.org,
            event,
            BookingRequest(
                start=TEN.replace(hour=14),
                name="Kim Lee",
                email="kim@x.test",
                timezone="Asia/Seoul",
                phone="+82 10 1234 5678",
                guests=("zed@x.test", "amy@x.test"),
                answers={str(goal.id): "Pass the exam", str(level.id): ["Beginner", "Advanced"]},
            ),
            now=NOW,
            actor="kim@x.test",
        ).booking
        s.add(
            Feedback(
                org_id=office.org, booking_id=booking.id, rating=4, nps_score=9, comment="Clear"
            )
        )
    admin = office.actor("admin")
    with tenant_session(office.db.app_engine, office.org) as s:
        add_tag(s, admin, booking.id, "Exam")
        add_note(s, admin, booking.id, "Nervous about speaking")
        create_task(s, admin, booking.id, "Send practice test", assignee_id=office.ids["mate"])
    with tenant_session(office.db.app_engine, office.org) as s:
        mark_attendance(s, admin, booking.id, Attendance.ATTENDED, now=TEN.replace(hour=15))
    viewer = office.actor("viewer")
    with tenant_session(office.db.app_engine, office.org) as s:
        detail = booking_detail(s, viewer, booking.id)
    assert (detail.event, detail.status, detail.attendance) == ("Intro", "confirmed", "attended")
    assert (detail.attendee.name, detail.attendee.phone, detail.attendee.timezone) == (
        "Kim Lee",
        "+82 10 1234 5678",
        "Asia/Seoul",
    )
    assert detail.guests == ("amy@x.test", "zed@x.test")
    assert [h.name for h in detail.hosts] == ["Mate Host"]
    assert detail.answers == (("Level", "Beginner, Advanced"), ("Your goal?", "Pass the exam"))
    assert detail.feedback is not None
    assert (detail.feedback.rating, detail.feedback.nps_score, detail.feedback.comment) == (
        4,
        9,
        "Clear",
    )
    assert [t.name for t in detail.tags] == ["Exam"]
    assert [(n.author, n.body) for n in detail.notes] == [("Me Host", "Nervous about speaking")]
    assert [(t.title, t.assignee, t.done_at) for t in detail.tasks] == [
        ("Send practice test", "Mate Host", None)
    ]
    assert [(h.what, h.by) for h in detail.history] == [
        ("Booked", "kim@x.test"),
        ("Tag added", "me-host@acme.test"),
        ("Attendance recorded", "me-host@acme.test"),
    ]
    assert detail.history[1].details == "Exam"


def test_detail_follows_the_reschedule_chain_and_hides_from_strangers(office: Office) -> None:
    member = office.actor("member")
    with tenant_session(office.db.app_engine, office.org) as s:
        moved = reschedule_booking(
            s, office.own["me"], TEN.replace(hour=13), now=NOW, actor=member
        ).booking
    with tenant_session(office.db.app_engine, office.org) as s:
        new = booking_detail(s, member, moved.id)
        old = booking_detail(s, member, office.own["me"])
    assert [h.what for h in new.history] == ["Booked", "Rescheduled"]
    assert new.history[1].by == "me-host@acme.test"
    assert new.history[1].details.startswith("2026-11-30T16:00:00+00:00 → 2026-11-30T18:00:00")
    assert (new.rescheduled_from_id, old.moved_to_id, old.status) == (
        office.own["me"],
        moved.id,
        "rescheduled",
    )
    with (
        pytest.raises(NotAllowed, match="see this booking"),
        tenant_session(office.db.app_engine, office.org) as s,
    ):
        booking_detail(s, member, office.own["stranger"])
