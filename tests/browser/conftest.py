"""A real browser against the app served on 127.0.0.1 (Debian's Chromium via Playwright)."""

from __future__ import annotations

import dataclasses
import email
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from scheduling.config import Config, get_config
from tests.conftest import TestDatabase
from tests.notify.delivery import deliver_queued
from tests.pages.scenario import Site, build_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium; a missing browser skips locally but fails in CI."""
    if not CHROMIUM.exists():
        if Config.from_env().ci:
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Live:
    """The app served over HTTP, the test site behind it, and its mail folder."""

    site: Site
    base: str
    mail_dir: Path
    config: Config

    def deliver(self) -> list[EmailMessage]:
        """Run the queued message jobs in this process; return every message sent so far."""
        deliver_queued(self.site.db, self.config)
        return [
            email.message_from_bytes(p.read_bytes(), policy=default_policy)  # type: ignore[misc]
            for p in sorted((self.mail_dir / "mail").glob("*.eml"))
        ]


@pytest.fixture
def live(db: TestDatabase, tmp_path: Path) -> Iterator[Live]:
    site = build_site(db)
    server = make_server("127.0.0.1", 0, site.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    config = dataclasses.replace(
        get_config(),
        smtp_url=None,
        var_dir=tmp_path,  # mail lands in tmp_path/mail as .eml files
        public_base_url=base,  # emailed links point at this server
        secret_key=get_config().resolved_secret_key(),  # the key the app signs tokens with
    )
    yield Live(site, base, tmp_path, config)
    server.shutdown()
    thread.join(5)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go (SCREENSHOT_DIR to keep them)."""
    folder = Config.from_env().screenshot_dir or tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
