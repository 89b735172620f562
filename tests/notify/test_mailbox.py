"""The mailbox reader on .eml files written by the real delivery path."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import icalendar
import pytest

from scheduling.access import Actor, NotAllowed, actor_for
from scheduling.booking import BookingRequest, cancel_booking, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin
from scheduling.notify.mail import ORG_HEADER, FileMailer
from scheduling.notify.mailbox import MessageNotFound, list_mail, read_mail, smtp_server
from tests.conftest import TestDatabase
from tests.console.harness import Staff, make_staff
from tests.factories import add_event, add_host, make_org
from tests.notify.delivery import deliver_queued, file_config

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 15, tzinfo=UTC)


@dataclass
class Post:
    staff: Staff
    folder: Path
    booking: uuid.UUID
    other_org: uuid.UUID


def book(db: TestDatabase, org: uuid.UUID, host_id: uuid.UUID, slug: str, who: str) -> uuid.UUID:
    with tenant_session(db.app_engine, org) as s:
        event = add_event(s, org, [s.get_one(Admin, (org, host_id))], slug)
        request = BookingRequest(start=MONDAY, name="Kenji Sato", email=who, timezone="Asia/Tokyo")
        return create_booking(s, org, event, request, now=NOW).booking.id


@pytest.fixture
def post(db: TestDatabase, tmp_path: Path) -> Post:
    """Acme's booking (attendee and host mail) and another organisation's, delivered."""
    staff = make_staff(db)
    booking = book(db, staff.org, staff.people["member"], "portfolio-review", "kenji@example.jp")
    other = make_org(db, "Other School")
    with tenant_session(db.app_engine, other) as s:
        host = add_host(s, other, "Olga Host", "UTC")
    book(db, other, host.id, "other-call", "olivia@example.com")
    config = file_config(tmp_path)
    assert deliver_queued(db, config) == 4
    return Post(staff, tmp_path / "mail", booking, other)


def test_lists_only_the_organisations_mail_newest_first(post: Post, db: TestDatabase) -> None:
    admin = post.staff.actor("admin")
    with tenant_session(db.app_engine, post.staff.org) as s:
        cancel_booking(s, post.booking, now=NOW, actor=admin, reason="Ill")
    deliver_queued(db, file_config(post.folder.parent))
    found = list_mail(admin, post.folder)
    assert [(m.kind, m.to) for m in found][:2] == [
        ("cancellation", "Member Person <member@acme.test>"),
        ("cancellation", "Kenji Sato <kenji@example.jp>"),
    ]
    assert sorted((m.kind, m.to) for m in found[2:]) == [
        ("confirmation", "Kenji Sato <kenji@example.jp>"),
        ("confirmation", "Member Person <member@acme.test>"),
    ]
    assert all("olivia" not in m.to for m in found)
    assert all(m.booking_id == str(post.booking) for m in found)
    assert all(abs(m.date - datetime.now(UTC)) < timedelta(minutes=5) for m in found)
    assert [m.date for m in found] == sorted((m.date for m in found), reverse=True)
    assert len(list_mail(admin, post.folder, limit=1)) == 1


def test_reads_headers_both_bodies_and_the_calendar_file(post: Post) -> None:
    admin = post.staff.actor("admin")
    (to_kenji,) = [m for m in list_mail(admin, post.folder) if "kenji" in m.to]
    message = read_mail(admin, post.folder, to_kenji.name)
    assert message.summary.subject == (
        "Confirmed: Portfolio Review on Tue 1 Dec, 00:00 (Asia/Tokyo)"
    )
    assert message.summary.sender == "LiveSchool <no-reply@liveschool.localhost>"
    assert message.message_id.endswith("@liveschool.localhost>")
    assert "When:  Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo (UTC+09:00)" in message.text
    assert message.html.startswith("<html><body><pre")
    assert "Tuesday 1 December 2026" in message.html
    (invite,) = message.attachments
    assert (invite.filename, invite.content_type) == ("invite.ics", "text/calendar")
    (vevent,) = icalendar.Calendar.from_ical(invite.data).walk("VEVENT")
    assert vevent.decoded("DTSTART") == MONDAY


def test_other_organisations_messages_and_odd_names_are_not_found(post: Post) -> None:
    admin = post.staff.actor("admin")
    theirs = [m.name for m in list_mail(Actor.system(post.other_org), post.folder)]
    assert len(theirs) == 2
    assert not set(theirs) & {m.name for m in list_mail(admin, post.folder)}
    for name in (theirs[0], "../secret_key", "nope.eml", "1-abcdef01.eml"):
        with pytest.raises(MessageNotFound, match="That message is not in the mailbox"):
            read_mail(admin, post.folder, name)


@pytest.mark.parametrize("role", ["manager", "member", "viewer"])
def test_only_organisation_wide_team_managers_read_the_mailbox(post: Post, role: str) -> None:
    with pytest.raises(NotAllowed, match="You are not allowed to read the mailbox"):
        list_mail(post.staff.actor(role), post.folder)
    with tenant_session(post.staff.db.app_engine, post.staff.org) as s:
        member = actor_for(s, post.staff.people[role])
    with pytest.raises(NotAllowed):
        read_mail(member, post.folder, "1-abcdef01.eml")


def test_an_empty_or_missing_folder_is_an_empty_mailbox(tmp_path: Path) -> None:
    assert list_mail(Actor.system(uuid.uuid4()), tmp_path / "mail") == []


def test_smtp_server_is_named_without_credentials(tmp_path: Path) -> None:
    assert smtp_server(file_config(tmp_path)) is None
    configured = file_config(tmp_path, smtp_url="smtp://user:s3cret@mail.acme.test:587")
    assert smtp_server(configured) == "mail.acme.test:587"


def test_a_subject_folded_right_after_the_colon_reads_without_a_leading_space(
    db: TestDatabase, tmp_path: Path
) -> None:
    staff = make_staff(db, ("admin",))
    subject = "Confirmed: Career & Internship Coaching on Fri 27 Nov, 00:00 (Europe/London)"
    message = EmailMessage()
    message["Subject"] = subject
    message["To"] = "Walk Through <walk@example.org>"
    message[ORG_HEADER] = str(staff.org)
    message.set_content("Hi")
    FileMailer(tmp_path).send(message)
    (path,) = tmp_path.glob("*.eml")
    assert path.read_bytes().startswith(b"Subject:\n Confirmed")  # how Python folds this one
    admin = staff.actor("admin")
    (mail,) = list_mail(admin, tmp_path)
    assert mail.subject == subject
    assert read_mail(admin, tmp_path, mail.name).summary.subject == subject
