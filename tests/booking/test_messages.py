"""Booking messages through a real SMTP server; calendar files parsed with `icalendar`."""

from __future__ import annotations

import dataclasses
import email
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from aiosmtpd.controller import Controller

from scheduling.booking import (
    BookingRequest,
    cancel_booking,
    create_booking,
    reschedule_booking,
)
from scheduling.config import Config, get_config
from scheduling.db import tenant_session
from scheduling.models import EmailTemplate, TemplateKind
from scheduling.notify.templates import MessageTemplate, TemplateProblem, check_template
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_question, make_org
from tests.notify.delivery import deliver_queued

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
START = datetime(2026, 11, 30, 10, tzinfo=NY)  # Tuesday 1 December, 00:00 in Tokyo


class Inbox:
    """aiosmtpd handler keeping every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=default_policy)  # type: ignore[arg-type]
        )
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def config(smtp: tuple[Inbox, int]) -> Config:
    return dataclasses.replace(
        get_config(),
        smtp_url=f"smtp://127.0.0.1:{smtp[1]}",
        mail_from="LiveSchool <no@x.test>",
        public_base_url="https://book.acme.test",
    )


def calendar_of(message: Message) -> icalendar.Calendar:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def vevent(cal: icalendar.Calendar) -> icalendar.Event:
    (event,) = cal.walk("VEVENT")
    return event


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


@pytest.fixture
def booked(db: TestDatabase) -> tuple[uuid.UUID, uuid.UUID, str]:
    org = make_org(db, "Acme School")
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Ada Host", "America/New_York")
        event = add_event(
            s,
            org,
            [host],
            "portfolio-review",
            location="Room 4",
            video_link="https://meet.example/abc",
        )
        question = add_question(s, org, event, "What would you like to discuss?")
        result = create_booking(
            s,
            org,
            event,
            BookingRequest(
                start=START,
                name="Kenji Sato",
                email="kenji@example.jp",
                timezone="Asia/Tokyo",
                answers={str(question.id): "My design portfolio"},
            ),
            now=NOW,
        )
    return org, result.booking.id, result.manage_token


def test_confirmation_in_each_readers_zone_with_a_request_invite(
    db: TestDatabase, smtp: tuple[Inbox, int], config: Config, booked: tuple[uuid.UUID, ...]
) -> None:
    inbox, _ = smtp
    _org, booking_id, token = booked
    assert deliver_queued(db, config) == 2
    (attendee,) = inbox.to("kenji@example.jp")
    (host,) = inbox.to("ada-host@acme.test")

    assert attendee["Subject"] == "Confirmed: Portfolio Review on Tue 1 Dec, 00:00 (Asia/Tokyo)"
    text_body = body_of(attendee)
    assert "When:  Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo (UTC+09:00)" in text_body
    assert f"https://book.acme.test/booking/{booking_id}?token={token}" in text_body
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in text_body
    assert host["Subject"] == "New booking: Kenji Sato on Mon 30 Nov, 10:00 (America/New_York)"
    host_body = body_of(host)
    assert "Monday 30 November 2026, 10:00-10:30 America/New_York (UTC-05:00)" in host_body
    assert "- What would you like to discuss?: My design portfolio" in host_body
    assert "token=" not in host_body  # the host never gets the attendee's link
    assert "token=" not in str(calendar_of(host).to_ical())

    event = vevent(calendar_of(attendee))
    assert calendar_of(attendee)["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{booking_id}@liveschool"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START.replace(minute=30)
    assert str(event["ORGANIZER"]) == "mailto:ada-host@acme.test"
    assert sorted(str(a) for a in event.get("ATTENDEE")) == [
        "mailto:ada-host@acme.test",
        "mailto:kenji@example.jp",
    ]
    assert str(event["LOCATION"]) == "https://meet.example/abc"


def test_reschedule_then_cancel_keep_the_uid_and_raise_the_sequence(
    db: TestDatabase, smtp: tuple[Inbox, int], config: Config, booked: tuple[uuid.UUID, ...]
) -> None:
    inbox, _ = smtp
    org, booking_id, _ = booked
    deliver_queued(db, config)
    with tenant_session(db.app_engine, org) as s:
        moved = reschedule_booking(
            s, booking_id, START.replace(hour=11), now=NOW, actor="kenji@example.jp"
        ).booking
    deliver_queued(db, config)
    with tenant_session(db.app_engine, org) as s:
        cancel_booking(s, moved.id, now=NOW, actor="kenji@example.jp", reason="Found a tutor")
    deliver_queued(db, config)

    confirm, resched, cancel = inbox.to("kenji@example.jp")
    assert (
        resched["Subject"] == "Rescheduled: Portfolio Review is now Tue 1 Dec, 01:00 (Asia/Tokyo)"
    )
    assert "Was:  Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo (UTC+09:00)" in body_of(resched)
    assert cancel["Subject"] == "Cancelled: Portfolio Review on Tue 1 Dec, 01:00 (Asia/Tokyo)"
    assert "Reason: Found a tutor" in body_of(cancel)
    assert "https://book.acme.test/book/portfolio-review" in body_of(cancel)
    uids = {str(vevent(calendar_of(m))["UID"]) for m in (confirm, resched, cancel)}
    assert uids == {f"{booking_id}@liveschool"}
    assert [int(vevent(calendar_of(m))["SEQUENCE"]) for m in (confirm, resched, cancel)] == [
        0,
        1,
        2,
    ]
    assert [calendar_of(m)["METHOD"] for m in (confirm, resched, cancel)] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
    ]
    assert str(vevent(calendar_of(cancel))["STATUS"]) == "CANCELLED"


def test_admin_template_overrides_the_default(
    db: TestDatabase, smtp: tuple[Inbox, int], config: Config, booked: tuple[uuid.UUID, ...]
) -> None:
    inbox, _ = smtp
    org, _, _ = booked
    with tenant_session(db.app_engine, org) as s:
        s.add(
            EmailTemplate(
                org_id=org,
                kind=TemplateKind.CONFIRMATION,
                subject="See you {{ short_when }}, {{ recipient_name }}!",
                body="{{ event_title }} with {{ hosts }}",
            )
        )
    deliver_queued(db, config)
    (message,) = inbox.to("kenji@example.jp")
    assert message["Subject"] == "See you Tue 1 Dec, 00:00 (Asia/Tokyo), Kenji Sato!"
    assert body_of(message).strip() == "Portfolio Review with Ada Host"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{{ ''.__class__.__mro__ }}", "The body has a problem"),
        ("{{ not_a_variable }}", "'not_a_variable' is undefined"),
        ("{% if %}", "The body has a problem"),
    ],
)
def test_unsafe_or_broken_templates_are_refused(source: str, problem: str) -> None:
    with pytest.raises(TemplateProblem, match=problem):
        check_template(MessageTemplate("Hello", source))


def test_without_smtp_mail_lands_as_eml_with_a_parseable_calendar(
    db: TestDatabase, booked: tuple[uuid.UUID, ...], tmp_path: Path
) -> None:
    config = dataclasses.replace(get_config(), smtp_url=None, var_dir=tmp_path)
    deliver_queued(db, config)
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[0].read_bytes(), policy=default_policy)
    assert vevent(calendar_of(message)).decoded("DTSTART") == START
