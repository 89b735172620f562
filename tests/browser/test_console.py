"""The console served by `streamlit run`, signed into and browsed in headless Chromium.

Screenshots of each page land in SCREENSHOT_DIR when it is set (the issue asks for the
Events and Bookings pages); the assertions are on what each page shows.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from werkzeug.serving import make_server

from booking_app import create_app
from scheduling.access import Actor, set_password
from scheduling.booking import BookingRequest, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin, Attendee, Booking, Event, Organization
from tests.conftest import ROOT, TestDatabase
from tests.console.harness import make_staff
from tests.factories import add_event

PASSWORD = "a long console password"
# (url path, a text the page must show once loaded)
PAGES = [
    ("bookings", "Pat Pending"),
    ("events", "Open Call"),
    ("availability", "Working hours"),
    ("people", "member@acme.test"),
]


def weekday_at(days_ahead: int, hour: int) -> datetime:
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, wall(hour), tzinfo=UTC)


@dataclass
class Console:
    base: str
    org_slug: str
    public: str  # the booking app, serving the same organisation
    org: uuid.UUID


def sign_in(page: Any, console: Console) -> None:
    page.goto(console.base, wait_until="networkidle")
    page.get_by_label("Email").fill("admin@acme.test")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as admin@acme.test").wait_for(timeout=30_000)
    page.get_by_role("heading", name="Home").wait_for(timeout=30_000)
    # The signed cookie is written by script in a frame, just after sign-in.
    page.wait_for_function("document.cookie.includes('ls_console=')", timeout=10_000)


@pytest.fixture
def console(db: TestDatabase, tmp_path: Path) -> Iterator[Console]:
    staff = make_staff(db)
    org = staff.org
    with tenant_session(db.app_engine, org) as s:
        set_password(s, Actor.system(org), staff.people["admin"], PASSWORD)
        admin = s.get(Admin, (org, staff.people["admin"]))
        member = s.get(Admin, (org, staff.people["member"]))
        vetted = add_event(s, org, [member], "vetted", require_approval=True)
        open_call = add_event(s, org, [admin], "open-call")
        slug = s.scalar(select(Organization.slug))
        now = datetime.now(UTC)
        for event, name, start in (
            (vetted, "Pat Pending", weekday_at(2, 14)),
            (open_call, "Olga Other", weekday_at(3, 15)),
        ):
            request = BookingRequest(
                start=start, name=name, email=f"{name.split()[0].lower()}@x.test", timezone="UTC"
            )
            create_booking(s, org, event, request, now=now)
        s.execute(text("DELETE FROM procrastinate_jobs"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        **db.env(),
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "console-browser-test-secret",
        "PUBLIC_ORG_SLUG": str(slug),
    }
    argv = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "admin_streamlit" / "Home.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    public_app = create_app(
        {"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "public", "PUBLIC_ORG_SLUG": slug}
    )
    server = make_server("127.0.0.1", 0, public_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("the console did not start") from None
                time.sleep(0.5)
        yield Console(base, str(slug), f"http://127.0.0.1:{server.server_port}", org)
    finally:
        server.shutdown()
        proc.terminate()
        proc.wait(10)


def idle(page: Any) -> None:
    """Wait until the script run finishes (Streamlit's running indicator goes away)."""
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=30_000)


def test_sign_in_then_every_page_through_the_cookie(
    browser: Any, console: Console, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, console)
    assert page.get_by_role("button", name="Sign in").count() == 0
    idle(page)
    page.screenshot(path=str(shots / "console_home.png"), full_page=True)
    for path, expected in PAGES:
        # A fresh load: only the signed cookie knows who this is now.
        page.goto(f"{console.base}/{path}", wait_until="networkidle")
        # Tables are drawn on a canvas; their cells exist for screen readers only.
        page.get_by_text(expected).first.wait_for(state="attached", timeout=30_000)
        idle(page)
        page.wait_for_timeout(1500)  # let the canvas paint before the screenshot
        assert page.get_by_text("Signed in as admin@acme.test").is_visible()
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(shots / f"console_{path}.png"), full_page=True)
    cookie = next(c for c in page.context.cookies() if c["name"] == "ls_console")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("Sign in to LiveSchool").wait_for(timeout=30_000)
    # A copy of the old cookie is worth nothing now: the session it names was revoked.
    page.context.add_cookies([cookie])
    page.goto(f"{console.base}/bookings", wait_until="networkidle")
    page.get_by_text("Sign in to LiveSchool").wait_for(timeout=30_000)
    assert page.get_by_text("Pat Pending").count() == 0
    page.close()


def test_an_event_created_in_the_console_is_booked_on_its_public_page(
    browser: Any, console: Console, db: TestDatabase, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, console)
    page.goto(f"{console.base}/events", wait_until="networkidle")
    idle(page)
    page.get_by_text("New event").click()
    form = page.get_by_test_id("stExpanderDetails")
    form.get_by_role("textbox", name="Title").fill("Campus Tour")
    address = form.get_by_role("textbox", name="Address: /book/…")
    address.fill("campus-tour")
    # A text input hands its value to Streamlit when it loses focus; leave it before the
    # click, or a fast click can submit the form without it.
    address.press("Tab")
    form.get_by_role("button", name="Create event").click()
    try:
        page.get_by_text("Event created. It is live on its public page.").wait_for(timeout=30_000)
    finally:
        page.screenshot(path=str(shots / "console_event_created.png"), full_page=True)
    page.close()

    attendee = browser.new_page(viewport={"width": 1200, "height": 900})
    attendee.goto(f"{console.public}/book/campus-tour?timezone=UTC")
    assert attendee.locator("h1").first.inner_text() == "Campus Tour"
    attendee.get_by_role("link", name=re.compile(r", times available$")).first.click()
    attendee.wait_for_selector(".times .time")
    attendee.locator(".times .time").first.click()
    attendee.wait_for_selector("#form-title")
    attendee.get_by_role("textbox", name="Your name").fill("Tess Tourist")
    attendee.get_by_role("textbox", name="Email", exact=True).fill("tess@example.org")
    attendee.get_by_role("button", name="Confirm booking").click()
    attendee.wait_for_selector("#done-title")
    attendee.close()
    with tenant_session(db.app_engine, console.org) as s:
        booked = s.execute(
            select(Event.title, Attendee.email, Booking.status)
            .join(Booking, Booking.event_id == Event.id)
            .join(Attendee, Attendee.booking_id == Booking.id)
            .where(Event.slug == "campus-tour")
        ).all()
    assert [tuple(r) for r in booked] == [("Campus Tour", "tess@example.org", "confirmed")]
