"""Shared steps of the browser tests."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar

from scheduling.booking import BookingRequest, create_booking, get_event
from scheduling.db import tenant_session
from tests.pages.scenario import NOW, Site

AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


def watched(context: Any) -> tuple[Any, list[str]]:
    """A new page whose script errors and console errors (e.g. CSP refusals) are collected."""
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    return page, problems


def no_horizontal_overflow(page: Any) -> int:
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    assert width <= 375, f"{page.url} is {width}px wide"
    return width


def book_direct(site: Site, slug: str, start: datetime, email: str = "kenji@example.jp") -> tuple[
    uuid.UUID, str
]:  # fmt: skip
    """Book through the service (as the page would): (booking id, manage token)."""
    with tenant_session(site.db.app_engine, site.org) as s:
        event = get_event(s, slug=slug)
        answers = {site.questions["Topic"]: "Visa questions"} if slug == "intro-call" else {}
        result = create_booking(
            s,
            site.org,
            event,
            BookingRequest(
                start=start,
                name="Kenji Sato",
                email=email,
                timezone="Asia/Tokyo",
                answers=answers,
            ),
            now=NOW,
        )
    return result.booking.id, result.manage_token


def to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if address in str(m["To"])]


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def calendar_event(message: EmailMessage) -> icalendar.Event:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    (event,) = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def manage_link(message: EmailMessage, base: str) -> str:
    found = re.search(re.escape(base) + r"/booking/[0-9a-f-]+\?token=[\w-]+", body_of(message))
    assert found, body_of(message)
    return found.group(0)
