"""The booking form: fields, validation, CSRF, idempotent double submits, a lost race.

NOW is Friday 27 November 2026, 12:00 UTC; the attendee books Monday 30 November 10:00
New York time from Asia/Tokyo, which is Tuesday 1 December 00:00 there.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from scheduling.booking import BookingRequest, create_booking, get_event
from scheduling.db import tenant_session
from scheduling.models import Answer, Attendee, BookingStatus
from tests.conftest import TestDatabase
from tests.pages.scenario import MONDAY_10, NOW, Site, build_site, hidden_fields


def test_form_shows_the_chosen_time_in_the_attendees_zone_and_every_field(site: Site) -> None:
    html = site.page(site.form_url())
    assert "<strong>Tuesday 1 December 2026, 00:00-00:30</strong> Asia/Tokyo (UTC+09:00)" in html
    hidden = hidden_fields(html)
    assert hidden["start"] == "2026-12-01T00:00:00+09:00"
    assert hidden["timezone"] == "Asia/Tokyo"
    assert re.fullmatch(r"page:[\w-]{32}", hidden["idempotency_key"])
    assert hidden["csrf_token"]
    q = site.questions
    assert '<input type="text" id="name" name="name" value="" autocomplete="name" required>' in html
    assert '<input type="email" id="email" name="email"' in html
    assert '<input type="tel" id="phone" name="phone"' in html  # collect_phone
    assert '<textarea id="guests" name="guests"' in html  # allow_guests
    assert "Up to 2, separated by commas." in html
    assert (
        f'<input type="text" id="q-{q["Topic"]}" name="q_{q["Topic"]}" value="" required>' in html
    )
    assert f'<select id="q-{q["Level"]}" name="q_{q["Level"]}">' in html
    assert f'<input type="checkbox" name="q_{q["Goals"]}" value="Exams">' in html
    assert f'<input type="number" id="q-{q["Age"]}"' in html
    assert f'<textarea id="q-{q["Notes"]}" name="q_{q["Notes"]}" rows="4">' in html
    assert f'<input type="email" id="q-{q["Work email"]}"' in html
    assert f'<input type="tel" id="q-{q["Mobile"]}"' in html
    back = re.search(r'<a class="back" href="([^"]+)">', html)
    assert back is not None
    assert (
        back.group(1)
        == "/book/intro-call?timezone=Asia/Tokyo&amp;month=2026-12&amp;date=2026-12-01"
    )


def test_each_form_render_gets_a_new_idempotency_key(site: Site) -> None:
    assert site.open_form()["idempotency_key"] != site.open_form()["idempotency_key"]


def test_booking_redirects_to_the_confirmation_with_the_token(site: Site) -> None:
    response = site.book(guests="ana@example.jp, ben@example.jp", phone="+81 3 1234 5678")
    assert response.status_code == 303
    (booking,) = site.bookings()
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/book/intro-call/confirmation/{booking.id}"
    assert parse_qs(location.query)["token"][0]
    assert booking.starts_at == MONDAY_10
    assert booking.attendee_timezone == "Asia/Tokyo"
    assert booking.source == "booking_page"
    assert booking.seats == 3
    assert booking.idempotency_key.startswith("page:")
    with tenant_session(site.db.app_engine, site.org) as s:
        people = {(a.email, a.is_guest, a.phone) for a in s.query(Attendee)}
        answers = {str(a.question_id): a.value for a in s.query(Answer)}
    assert people == {
        ("kenji@example.jp", False, "+81 3 1234 5678"),
        ("ana@example.jp", True, None),
        ("ben@example.jp", True, None),
    }
    q = site.questions
    assert answers == {
        q["Topic"]: "Visa questions",
        q["Level"]: "Advanced",
        q["Goals"]: ["Speaking", "Writing"],
        q["Age"]: 34,
    }
    assert ("booking_completed", str(booking.id)) in site.steps()


def test_field_errors_are_shown_next_to_the_fields(site: Site) -> None:
    q = site.questions
    response = site.book(
        name="",
        email="not-an-email",
        guests="a@x.jp, b@x.jp, c@x.jp",
        **{f"q_{q['Topic']}": "", f"q_{q['Age']}": "thirty", f"q_{q['Level']}": "Expert"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert site.bookings() == []

    def error_of(field_id: str) -> str:
        found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]+)</p>', html)
        assert found, field_id
        return found.group(1)

    assert error_of("name") == "Please enter your name."
    assert error_of("email") == "Please enter a valid email address."
    assert error_of("guests") == "You can bring at most 2 guest(s)."
    assert error_of(f"q-{q['Topic']}") == "This question needs an answer."
    assert error_of(f"q-{q['Age']}") == "Please enter a number."
    assert error_of(f"q-{q['Level']}") == "Not an option: Expert."
    assert 'aria-describedby="email-error" aria-invalid="true" required' in html
    assert '<div class="alert" id="error-summary" role="alert" tabindex="-1">' in html
    assert '<a href="#name">Your name: Please enter your name.</a>' in html
    # What was typed is kept, and the same idempotency key stays in the form.
    assert 'value="not-an-email"' in html
    assert "a@x.jp, b@x.jp, c@x.jp</textarea>" in html
    assert 'value="thirty"' in html
    assert "<strong>Tuesday 1 December 2026, 00:00-00:30</strong>" in html


def test_missing_csrf_token_is_refused_with_400(site: Site) -> None:
    hidden = site.open_form()
    del hidden["csrf_token"]
    response = site.book(hidden=hidden)
    assert response.status_code == 400
    assert "This form has expired; please reload the page and try again." in response.get_data(
        as_text=True
    )
    assert site.bookings() == []


def test_double_submit_with_the_same_key_books_once(site: Site) -> None:
    hidden = site.open_form()
    first = site.book(hidden=hidden)
    second = site.book(hidden=hidden)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    (booking,) = site.bookings()
    assert booking.idempotency_key == hidden["idempotency_key"]
    assert [t for t, _ in site.steps()].count("booking_completed") == 1


def test_a_key_reused_for_another_booking_asks_to_send_again(site: Site) -> None:
    hidden = site.open_form()
    assert site.book(hidden=hidden).status_code == 303
    response = site.book(hidden=hidden, email="someone.else@example.jp")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This form was already used for another booking." in html
    assert hidden_fields(html)["idempotency_key"] != hidden["idempotency_key"]
    assert len(site.bookings()) == 1


def test_lost_race_shows_the_day_again_with_fresh_times(site: Site) -> None:
    hidden = site.open_form()
    with tenant_session(site.db.app_engine, site.org) as s:  # someone else is quicker
        event = get_event(s, slug="intro-call")
        create_booking(
            s,
            site.org,
            event,
            BookingRequest(
                start=MONDAY_10,
                name="Quick Person",
                email="quick@example.com",
                timezone="UTC",
                answers={site.questions["Topic"]: "Fast"},
            ),
            now=NOW,
        )
    response = site.book(hidden=hidden)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Sorry, that time was just taken. Please pick another time." in html
    assert '<h3 id="day-title" tabindex="-1">Tuesday 1 December</h3>' in html
    offered = re.findall(r'<a class="time" [^>]*>(\d\d:\d\d)', html)
    assert offered[:2] == ["00:30", "01:00"]  # 00:00 Tokyo is gone
    assert "00:00" not in offered
    assert len(site.bookings()) == 1


def test_a_time_outside_the_offer_is_refused(site: Site) -> None:
    hidden = site.open_form() | {"start": "2026-11-28T10:00:00-05:00"}  # Saturday
    response = site.book(hidden=hidden)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        '<p class="alert" role="alert">That time is outside the host&#39;s working hours.</p>'
        in html
    )
    assert '<h3 id="day-title" tabindex="-1">Sunday 29 November</h3>' in html  # in Tokyo
    assert site.bookings() == []


def test_missing_start_asks_to_pick_a_time(site: Site) -> None:
    hidden = site.open_form()
    del hidden["start"]
    response = site.book(hidden=hidden)
    assert response.status_code == 422
    assert "Please pick a time first." in response.get_data(as_text=True)


def test_pending_approval_booking(site: Site) -> None:
    response = site.book(slug="approval-call", start=datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert response.status_code == 303
    (booking,) = site.bookings()
    assert booking.status is BookingStatus.PENDING_APPROVAL


def test_too_many_bookings_from_one_email_are_refused(db: TestDatabase) -> None:
    site = build_site(db, BOOKING_LIMIT_PER_EMAIL=1)
    assert site.book().status_code == 303
    response = site.book(start=MONDAY_10.replace(hour=11))
    assert response.status_code == 429
    assert "Too many bookings from here; please try again later." in response.get_data(as_text=True)
    assert len(site.bookings()) == 1
