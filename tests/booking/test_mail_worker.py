"""End to end: a booking made through the service reaches VAR_DIR/mail through a worker."""

from __future__ import annotations

import email
from datetime import UTC, datetime, time, timedelta
from email.policy import default as default_policy
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from scheduling.booking import BookingRequest, create_booking
from scheduling.config import get_config
from scheduling.db import tenant_session
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, make_org
from tests.workers import Workers, wait_for

pytestmark = pytest.mark.slow


def test_booking_mail_lands_in_var_mail_with_calendar_file(
    db: TestDatabase, workers: Workers, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    start = datetime.combine(now.date() + timedelta(days=1), time(12), tzinfo=UTC)
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        host = add_host(s, org, "Ada Host", "UTC", days=range(7))
        event = add_event(s, org, [host], "chat", duration_minutes=30, min_notice_hours=0)
        booking = create_booking(
            s,
            org,
            event,
            BookingRequest(
                start=start, name="Mo Reader", email="mo@example.com", timezone="Europe/Paris"
            ),
            now=now,
        ).booking
    mail = tmp_path / "var" / "mail"
    workers.start(
        VAR_DIR=str(tmp_path / "var"), SMTP_URL="", SECRET_KEY=get_config().resolved_secret_key()
    )
    wait_for(lambda: len(list(mail.glob("*.eml"))) == 2, 30, "two messages in VAR_DIR/mail")

    parsed = [
        email.message_from_bytes(p.read_bytes(), policy=default_policy)
        for p in sorted(mail.glob("*.eml"))
    ]
    assert sorted(str(m["To"]) for m in parsed) == [
        "Ada Host <ada-host@acme.test>",
        "Mo Reader <mo@example.com>",
    ]
    for message in parsed:
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        (vevent,) = cal.walk("VEVENT")
        assert str(vevent["UID"]) == f"{booking.id}@liveschool"
        assert vevent.decoded("DTSTART") == start
    paris = start.astimezone(ZoneInfo("Europe/Paris"))
    offset = paris.strftime("%z")
    body = next(m for m in parsed if "mo@" in str(m["To"])).get_body(("plain",)).get_content()
    assert f"{paris:%H:%M}-" in body
    assert f"Europe/Paris (UTC{offset[:3]}:{offset[3:]})" in body
