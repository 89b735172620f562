"""The Mailbox page on mail written by the real delivery path (AppTest, every role)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from admin_streamlit.state import CONFIG_KEY
from scheduling.booking import BookingRequest, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin
from tests.conftest import TestDatabase
from tests.console.harness import ROLES, Staff, make_staff
from tests.factories import add_event
from tests.notify.delivery import deliver_queued, file_config

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 30, 15, tzinfo=UTC)


@pytest.fixture
def staff(db: TestDatabase, tmp_path: Path) -> Staff:
    staff = make_staff(db)
    with tenant_session(db.app_engine, staff.org) as s:
        host = s.get_one(Admin, (staff.org, staff.people["member"]))
        event = add_event(s, staff.org, [host], "portfolio-review")
        request = BookingRequest(
            start=MONDAY, name="Kenji Sato", email="kenji@example.jp", timezone="Asia/Tokyo"
        )
        create_booking(s, staff.org, event, request, now=NOW)
    assert deliver_queued(db, file_config(tmp_path)) == 2
    return staff


def mailbox(staff: Staff, role: str, tmp_path: Path, **settings: object) -> AppTest:
    return staff.page("mailbox", role, state={CONFIG_KEY: file_config(tmp_path, **settings)})


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_read_the_mailbox(staff: Staff, tmp_path: Path, role: str) -> None:
    at = mailbox(staff, role, tmp_path)
    assert not at.exception
    if role in ("super_admin", "admin"):
        assert sorted(at.dataframe[0].value["to"].to_list()) == [
            "Kenji Sato <kenji@example.jp>",
            "Member Person <member@acme.test>",
        ]
        assert set(at.dataframe[0].value["kind"].to_list()) == {"confirmation"}
    else:
        assert [e.value for e in at.error] == ["You are not allowed to read the mailbox."]
        assert len(at.dataframe) == 0


def test_opening_a_message_shows_headers_bodies_and_the_invitation(
    staff: Staff, tmp_path: Path
) -> None:
    at = mailbox(staff, "admin", tmp_path)
    choice = at.selectbox(key="mb_choice")
    at = choice.set_value(next(o for o in choice.options if "kenji@example.jp" in o)).run()
    assert not at.exception
    headers = dict(zip(*at.dataframe[1].value.to_dict("list").values(), strict=True))
    assert headers["Subject"] == "Confirmed: Portfolio Review on Tue 1 Dec, 00:00 (Asia/Tokyo)"
    assert headers["To"] == "Kenji Sato <kenji@example.jp>"
    assert headers["Kind"] == "confirmation"
    assert "Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo (UTC+09:00)" in at.code[0].value
    (frame,) = at.get("iframe")
    html = base64.b64decode(frame.proto.src.split(",", 1)[1]).decode()
    assert "Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo" in html
    (download,) = at.get("download_button")
    assert download.proto.label.startswith("Download invite.ics (text/calendar, ")


def test_with_smtp_configured_the_page_says_nothing_new_lands_here(
    staff: Staff, tmp_path: Path
) -> None:
    at = mailbox(staff, "admin", tmp_path, smtp_url="smtp://bot:pw@mail.acme.test:2525")
    assert not at.exception
    assert at.info[0].value == (
        "SMTP_URL is set: messages are sent through mail.acme.test:2525, so nothing new "
        "lands here. Anything listed below was written before it was set."
    )
    assert len(at.dataframe[0].value) == 2  # written before SMTP was set, still readable


def test_an_empty_mailbox_says_so(staff: Staff, tmp_path: Path) -> None:
    at = mailbox(staff, "admin", tmp_path / "elsewhere")
    assert not at.exception
    assert at.info[0].value.startswith("No messages yet.")
