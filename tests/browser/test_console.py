"""The console served by `streamlit run`, signed into and browsed in headless Chromium.

Screenshots of each page land in SCREENSHOT_DIR when it is set (the issue asks for the
Events and Bookings pages); the assertions are on what each page shows.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from scheduling.access import Actor, set_password
from scheduling.booking import BookingRequest, create_booking
from scheduling.db import tenant_session
from scheduling.models import Admin, Organization
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
        yield Console(base, str(slug))
    finally:
        proc.terminate()
        proc.wait(10)


def idle(page: Any) -> None:
    """Wait until the script run finishes (Streamlit's running indicator goes away)."""
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=30_000)


def test_sign_in_then_every_page_through_the_cookie(
    browser: Any, console: Console, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(console.base, wait_until="networkidle")
    page.get_by_label("Email").fill("admin@acme.test")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as admin@acme.test").wait_for(timeout=30_000)
    page.get_by_role("heading", name="Home").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Sign in").count() == 0
    idle(page)
    page.screenshot(path=str(shots / "console_home.png"), full_page=True)
    # The signed cookie is written by script in a component frame, just after sign-in.
    page.wait_for_function("document.cookie.includes('ls_console=')", timeout=10_000)
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
