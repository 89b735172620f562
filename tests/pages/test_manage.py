"""Managing a booking from the emailed link: see it, reschedule it, cancel it.

NOW is Friday 27 November 2026, 12:00 UTC. Kenji (Asia/Tokyo) booked Monday 30 November
10:00 New York, which is Tuesday 1 December 00:00 in Tokyo.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import icalendar

from booking_app import create_app
from scheduling.models import BookingStatus
from tests.pages.scenario import NY, Site, hidden_fields


def booked(site: Site) -> tuple[str, str]:
    """(manage url, token) of a fresh booking."""
    response = site.book()
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    token = parse_qs(location.query)["token"][0]
    uid = location.path.rsplit("/", 1)[1]
    return f"/booking/{uid}?token={token}", token


def test_manage_page_shows_the_booking_and_both_actions(site: Site) -> None:
    url, token = booked(site)
    response = site.client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Tuesday 1 December 2026, 00:00-00:30</time>" in html
    assert "Asia/Tokyo (UTC+09:00)" in html
    assert '<h2 id="reschedule-title">Reschedule</h2>' in html
    assert '<h2 id="cancel-title">Cancel</h2>' in html
    assert '<textarea id="reason" name="reason"' in html
    # The calendar is the attendee's zone (from the booking) and keeps the token in links.
    assert 'data-zone="Asia/Tokyo"' in html
    assert f"token={token}&amp;month=2026-11&amp;date=2026-11-30" in html
    assert 'aria-label="Tuesday 1 December, times available"' not in html  # November shown


def test_bad_token_is_403_and_unknown_booking_404(site: Site) -> None:
    url, token = booked(site)
    html = site.page(url.replace(token, "forged"), 403)
    assert "This link is not valid for that booking." in html
    assert site.page(url.split("?")[0], 403)  # no token at all
    site.page("/booking/not-a-uuid?token=x", 404)
    unknown = site.client.get("/booking/00000000-0000-0000-0000-000000000000?token=x")
    assert unknown.status_code == 403  # no hint whether the booking exists


def test_reschedule_picks_a_day_then_confirms_a_new_time(site: Site) -> None:
    url, token = booked(site)
    (old,) = site.bookings()
    day = site.page(url + "&date=2026-12-01")
    assert '<h3 id="day-title" tabindex="-1">Tuesday 1 December</h3>' in day
    times = re.findall(r'<a class="time" href="([^"]+)"', day)
    choice = next(t for t in times if "T01:30:00" in t).replace("&amp;", "&")
    confirm = site.page(choice)
    assert "<strong>Tuesday 1 December 2026, 01:30-02:00</strong>" in confirm
    hidden = hidden_fields(confirm)
    assert hidden["start"] == "2026-12-01T01:30:00+09:00"
    assert hidden["token"] == token
    response = site.post(f"/booking/{old.id}/reschedule", hidden)
    assert response.status_code == 303
    bookings = {b.id: b for b in site.bookings()}
    new = next(b for b in bookings.values() if b.id != old.id)
    assert bookings[old.id].status is BookingStatus.RESCHEDULED
    assert new.status is BookingStatus.CONFIRMED
    assert new.starts_at == datetime(2026, 11, 30, 11, 30, tzinfo=NY)
    assert new.rescheduled_from_id == old.id
    target = response.headers["Location"]
    assert target.startswith(f"/booking/{new.id}?token=")
    assert target.endswith("&notice=rescheduled")
    html = site.page(target)
    assert "Your booking has been moved to the new time." in html
    assert "Tuesday 1 December 2026, 01:30-02:00</time>" in html
    # The old link now points to the new booking.
    old_page = site.page(url)
    assert "This booking was moved to <strong>Tuesday 1 December 2026, 01:30-02:00</strong>" in (
        old_page
    )
    assert '<h2 id="cancel-title">' not in old_page
    assert ("reschedule", str(new.id)) in site.steps()


def test_reschedule_to_a_taken_time_shows_fresh_times(site: Site) -> None:
    url, token = booked(site)
    (old,) = site.bookings()
    site.book(start=datetime(2026, 11, 30, 12, tzinfo=NY), email="other@example.com")
    response = site.post(
        f"/booking/{old.id}/reschedule",
        {
            "csrf_token": hidden_fields(site.page(url))["csrf_token"],
            "token": token,
            "start": "2026-12-01T02:00:00+09:00",
            "timezone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Sorry, that time was just taken. Please pick another time." in html
    assert '<h3 id="day-title" tabindex="-1">Tuesday 1 December</h3>' in html
    assert "T02:00:00" not in html.split('id="day-title"')[1]
    assert site.bookings()[0].status is BookingStatus.CONFIRMED


def test_reschedule_without_csrf_is_refused(site: Site) -> None:
    _, token = booked(site)
    (old,) = site.bookings()
    response = site.post(
        f"/booking/{old.id}/reschedule",
        {"token": token, "start": "2026-12-01T02:00:00+09:00", "timezone": "Asia/Tokyo"},
    )
    assert response.status_code == 400
    assert site.bookings()[0].starts_at == old.starts_at


def test_cancel_with_a_reason_then_the_page_shows_the_state(site: Site) -> None:
    url, _ = booked(site)
    (booking,) = site.bookings()
    hidden = hidden_fields(site.page(url).split('id="cancel-title"')[1])
    response = site.post(f"/booking/{booking.id}/cancel", hidden | {"reason": "Found a tutor"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{url}&notice=cancelled"
    (cancelled,) = site.bookings()
    assert cancelled.status is BookingStatus.CANCELLED
    assert cancelled.cancellation_reason == "Found a tutor"
    assert cancelled.cancelled_by == "attendee"
    html = site.page(response.headers["Location"])
    assert "Your booking has been cancelled." in html
    assert '<span class="badge cancelled">Cancelled</span>' in html
    assert "This booking was cancelled with the reason: “Found a tutor”." in html
    assert '<h2 id="reschedule-title">' not in html
    assert 'href="/book/intro-call">Book a new time</a>' in html
    assert ("cancel", str(booking.id)) in site.steps()
    again = site.post(f"/booking/{booking.id}/cancel", hidden)
    assert again.status_code == 409
    assert "This booking is cancelled and cannot be cancelled." in again.get_data(as_text=True)


def test_cancel_with_a_bad_token_is_403(site: Site) -> None:
    url, _ = booked(site)
    (booking,) = site.bookings()
    hidden = hidden_fields(site.page(url).split('id="cancel-title"')[1])
    response = site.post(f"/booking/{booking.id}/cancel", hidden | {"token": "forged"})
    assert response.status_code == 403
    assert site.bookings()[0].status is BookingStatus.CONFIRMED


def test_a_past_booking_offers_no_changes(site: Site) -> None:
    url, _ = booked(site)
    later = create_app(
        {
            "APP_DATABASE_URL": site.db.app_url,
            "SECRET_KEY": "pages-test",
            "CLOCK": lambda: datetime(2026, 12, 2, tzinfo=NY),  # two days after the meeting
        }
    )
    html = later.test_client().get(url).get_data(as_text=True)
    assert "This meeting has already taken place." in html
    assert '<h2 id="reschedule-title">' not in html
    assert '<h2 id="cancel-title">' not in html


def test_calendar_file_of_a_cancelled_booking_cancels_it(site: Site) -> None:
    url, token = booked(site)
    (booking,) = site.bookings()
    hidden = hidden_fields(site.page(url).split('id="cancel-title"')[1])
    assert site.post(f"/booking/{booking.id}/cancel", hidden).status_code == 303
    ics = site.client.get(f"/booking/{booking.id}/invite.ics?token={token}").get_data()
    calendar = icalendar.Calendar.from_ical(ics)
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
