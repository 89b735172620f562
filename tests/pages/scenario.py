"""The organisation the page tests book with: hosts in New York and London, several events.

Time is fixed: NOW is Friday 27 November 2026, 12:00 UTC (07:00 in New York, 21:00 in Tokyo).
Ada Host works 09:00-17:00 New York time on weekdays, Ben Tutor 09:00-17:00 London time.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking_app import create_app
from scheduling.db import tenant_session
from scheduling.models import (
    AnalyticsEvent,
    Booking,
    ConfirmationPage,
    LocationType,
    PrepResource,
    QuestionType,
)
from tests.conftest import TestDatabase
from tests.factories import add_event, add_host, add_question, make_org

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)  # Friday 07:00 New York, 21:00 Tokyo
MONDAY_10 = datetime(2026, 11, 30, 10, tzinfo=NY)  # Tuesday 1 December 00:00 in Tokyo
CUSTOM_HTML = (
    '<h2>Thanks for booking!</h2><p onclick="steal()">See you <strong>soon</strong>.</p>'
    '<script>alert("x")</script><div style="position:fixed;inset:0">overlay</div>'
    '<a href="javascript:alert(1)">bad</a> <a href="https://acme.test/faq">FAQ</a>'
)


@dataclass
class Site:
    """The app, a test client and the ids of what was set up."""

    db: TestDatabase
    org: uuid.UUID
    app: Flask
    client: FlaskClient
    questions: dict[str, str] = field(default_factory=dict)

    def page(self, url: str, status: int = 200) -> str:
        response = self.client.get(url)
        response.close()  # runs call_on_close: tracked steps are written
        assert response.status_code == status, (url, response.status_code)
        return response.get_data(as_text=True)

    def form_url(
        self, slug: str = "intro-call", start: datetime = MONDAY_10, zone: str = "Asia/Tokyo"
    ) -> str:
        local = start.astimezone(ZoneInfo(zone)).isoformat().replace("+", "%2B")
        return f"/book/{slug}?time={local}&timezone={zone}"

    def open_form(
        self, slug: str = "intro-call", start: datetime = MONDAY_10, zone: str = "Asia/Tokyo"
    ) -> dict[str, str]:
        """The hidden fields of the booking form for `start`."""
        html = self.page(self.form_url(slug, start, zone))
        return hidden_fields(html)

    def answers(self, **overrides: Any) -> dict[str, Any]:
        """A valid filled-in form for intro-call."""
        q = self.questions
        return {
            "name": "Kenji Sato",
            "email": "kenji@example.jp",
            f"q_{q['Topic']}": "Visa questions",
            f"q_{q['Level']}": "Advanced",
            f"q_{q['Goals']}": ["Speaking", "Writing"],
            f"q_{q['Age']}": "34",
        } | overrides

    def book(
        self,
        slug: str = "intro-call",
        start: datetime = MONDAY_10,
        zone: str = "Asia/Tokyo",
        hidden: dict[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        """Open the form for `start` (unless `hidden` is given) and send it."""
        data = (
            (hidden or self.open_form(slug, start, zone))
            | (
                self.answers()
                if slug == "intro-call"
                else {"name": "Kenji Sato", "email": "kenji@example.jp"}
            )
            | fields
        )
        return self.post(f"/book/{slug}", data)

    def post(self, url: str, data: dict[str, Any]) -> Any:
        response = self.client.post(url, data=data)
        response.close()
        return response

    def bookings(self) -> list[Booking]:
        with tenant_session(self.db.app_engine, self.org) as s:
            return list(s.scalars(select(Booking).order_by(Booking.created_at)))

    def steps(self) -> list[tuple[str, str | None]]:
        """Tracked steps: (type, booking id or None), in order."""
        with tenant_session(self.db.app_engine, self.org) as s:
            rows = s.execute(
                select(AnalyticsEvent.event_type, AnalyticsEvent.booking_id).order_by(
                    AnalyticsEvent.created_at, AnalyticsEvent.id
                )
            ).all()
        return [(t, str(b) if b else None) for t, b in rows]


def hidden_fields(html: str) -> dict[str, str]:
    """name -> value of the hidden inputs of the first form with a CSRF token."""
    form = html[max(0, html.index('name="csrf_token"') - 200) :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def build_site(db: TestDatabase, **config: Any) -> Site:
    org = make_org(db, "Acme School")
    questions: dict[str, str] = {}
    with tenant_session(db.app_engine, org) as s:
        ada = add_host(s, org, "Ada Host", "America/New_York")
        ben = add_host(s, org, "Ben Tutor", "Europe/London")
        intro = add_event(
            s,
            org,
            [ada],
            "intro-call",
            booking_window_days=30,
            allow_guests=True,
            guest_limit=2,
            collect_phone=True,
            video_link="https://meet.example/ada",
            description="A first chat about your goals.\nBring your questions.",
        )
        for position, (label, kind, required, options) in enumerate(
            [
                ("Topic", QuestionType.TEXT, True, None),
                ("Level", QuestionType.SELECT, False, ["Beginner", "Advanced"]),
                ("Goals", QuestionType.MULTI_SELECT, False, ["Speaking", "Writing", "Exams"]),
                ("Age", QuestionType.NUMBER, False, None),
                ("Notes", QuestionType.TEXTAREA, False, None),
                ("Work email", QuestionType.EMAIL, False, None),
                ("Mobile", QuestionType.PHONE, False, None),
            ]
        ):
            q = add_question(s, org, intro, label, kind, required, options, position)
            questions[label] = str(q.id)
        s.add(
            PrepResource(
                org_id=org,
                event_id=intro.id,
                title="Read the course guide",
                url="https://acme.test/guide",
                position=0,
            )
        )
        add_event(
            s,
            org,
            [ben],
            "london-office-hours",
            lock_timezone=True,
            location_type=LocationType.IN_PERSON,
            location="Room 4, Acme House",
        )
        add_event(s, org, [ada], "later-chat", min_notice_hours=120)
        add_event(
            s,
            org,
            [ada],
            "ads-call",
            confirmation_page_type=ConfirmationPage.REDIRECT,
            confirmation_redirect_url="https://example.com/thanks?ref=ads",
        )
        add_event(
            s,
            org,
            [ada],
            "custom-call",
            confirmation_page_type=ConfirmationPage.CUSTOM,
            confirmation_custom_html=CUSTOM_HTML,
        )
        add_event(
            s,
            org,
            [ben],
            "approval-call",
            require_approval=True,
            conversion_script_url="https://tags.example.com/conv.js",
        )
        add_event(
            s,
            org,
            [ada],
            "plain-call",
            show_add_to_calendar=False,
            show_reschedule_link=False,
            conversion_script_url="http://tags.example.com/x.js",
        )
    app = create_app(
        {"APP_DATABASE_URL": db.app_url, "SECRET_KEY": "pages-test", "CLOCK": lambda: NOW} | config
    )
    return Site(db, org, app, app.test_client(), questions)
