"""What follows a booking: the default page, custom HTML, a redirect, the calendar file.

NOW is Friday 27 November 2026, 12:00 UTC; bookings are for Monday 30 November 10:00 New
York (Tuesday 1 December 00:00 in Asia/Tokyo, the attendee's zone).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import icalendar

from tests.pages.scenario import MONDAY_10, Site


def confirmation_of(site: Site, slug: str = "intro-call", **fields: object) -> str:
    response = site.book(slug=slug, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return str(response.headers["Location"])


def test_default_confirmation_summarises_in_the_attendees_zone(site: Site) -> None:
    url = confirmation_of(site)
    response = site.client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert '<h1 id="done-title">You are booked</h1>' in html
    assert (
        '<time datetime="2026-12-01T00:00:00+09:00">Tuesday 1 December 2026, 00:00-00:30</time>'
        in html
    )
    assert '<span class="zone-text">Asia/Tokyo (UTC+09:00)</span>' in html
    assert "<dd>Ada Host</dd>" in html
    assert '<a href="https://meet.example/ada">https://meet.example/ada</a>' in html
    assert "Kenji Sato (kenji@example.jp)" in html
    assert '<span class="badge confirmed">Confirmed</span>' in html
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', html)
    assert google is not None
    assert "dates=20261130T150000Z%2F20261130T153000Z" in google.group(1)
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    (booking,) = site.bookings()
    token = parse_qs(urlsplit(url).query)["token"][0]
    assert f'href="/booking/{booking.id}/invite.ics?token={token}" download' in html
    assert f'href="/booking/{booking.id}?token={token}#reschedule">Reschedule</a>' in html
    assert f'href="/booking/{booking.id}?token={token}#cancel">Cancel</a>' in html
    assert '<h2 id="next-title">What happens next</h2>' in html
    assert "We have emailed a confirmation with the calendar invitation to kenji@example.jp" in html
    assert (
        '<a href="https://acme.test/guide" rel="noopener noreferrer">Read the course guide</a>'
        in html
    )
    assert '<script src="https://' not in html
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


def test_pending_approval_says_so_and_loads_the_conversion_script(site: Site) -> None:
    url = confirmation_of(site, "approval-call", start=datetime(2026, 11, 30, 10, tzinfo=UTC))
    response = site.client.get(url)
    html = response.get_data(as_text=True)
    assert '<h1 id="done-title">Your request has been sent</h1>' in html
    assert "This booking is <strong>awaiting approval</strong> by the host." in html
    assert '<span class="badge pending_approval">Awaiting approval</span>' in html
    assert '<script src="https://tags.example.com/conv.js" defer></script>' in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' https://tags.example.com;" in policy
    assert "connect-src 'self' https://tags.example.com;" in policy
    # The script is allowed on this page only.
    booking_page = site.client.get("/book/approval-call")
    assert "tags.example.com" not in booking_page.headers["Content-Security-Policy"]
    assert "tags.example.com" not in booking_page.get_data(as_text=True)


def test_conversion_script_over_http_and_hidden_links_are_left_out(site: Site) -> None:
    html = site.page(confirmation_of(site, "plain-call"))
    assert "tags.example.com" not in html  # plain http: never loaded
    assert "Add to Google Calendar" not in html  # show_add_to_calendar is off
    assert "#reschedule" not in html  # show_reschedule_link is off
    assert '<h1 id="done-title">You are booked</h1>' in html


def test_custom_confirmation_html_is_sanitised(site: Site) -> None:
    html = site.page(confirmation_of(site, "custom-call"))
    custom = html[html.index('<div class="custom">') :]
    custom = custom[: custom.index('<section class="summary"')]
    assert "<h2>Thanks for booking!</h2>" in custom
    assert "<p>See you <strong>soon</strong>.</p>" in custom
    assert "<script" not in custom and "alert(" not in custom
    assert "onclick" not in custom and "steal()" not in custom
    assert "style=" not in custom and "position:fixed" not in custom
    assert "javascript:" not in custom
    assert '<a href="https://acme.test/faq" rel="noopener noreferrer nofollow">FAQ</a>' in custom
    assert "Tuesday 1 December 2026, 00:00-00:30" in html  # the summary follows it


def test_redirect_confirmation_carries_the_booking(site: Site) -> None:
    form_page = site.client.get(site.form_url("ads-call"))
    assert "form-action 'self' https://example.com;" in form_page.headers["Content-Security-Policy"]
    url = confirmation_of(site, "ads-call")
    response = site.client.get(url)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "example.com", "/thanks")
    params = {k: v[0] for k, v in parse_qs(target.query).items()}
    (booking,) = site.bookings()
    assert params == {
        "ref": "ads",
        "booking_uid": str(booking.id),
        "event_slug": "ads-call",
        "start": "2026-12-01T00:00:00+09:00",
        "timezone": "Asia/Tokyo",
        "invitee_name": "Kenji Sato",
        "invitee_email": "kenji@example.jp",
    }


def test_confirmation_with_a_bad_token_is_403_and_other_events_404(site: Site) -> None:
    url = confirmation_of(site)
    (booking,) = site.bookings()
    bad = site.client.get(f"/book/intro-call/confirmation/{booking.id}?token=forged")
    assert bad.status_code == 403
    assert "This link is not valid for that booking." in bad.get_data(as_text=True)
    assert site.client.get(url.replace("/intro-call/", "/ads-call/")).status_code == 404
    assert site.client.get("/book/intro-call/confirmation/not-a-uuid?token=x").status_code == 404


def test_calendar_file_download(site: Site) -> None:
    url = confirmation_of(site)
    token = parse_qs(urlsplit(url).query)["token"][0]
    (booking,) = site.bookings()
    response = site.client.get(f"/booking/{booking.id}/invite.ics?token={token}")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="intro-call.ics"'
    cal = icalendar.Calendar.from_ical(response.get_data())
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == MONDAY_10
    assert str(event["SUMMARY"]) == "Intro Call"
    assert str(event["UID"]) == f"{booking.id}@liveschool"
    assert f"/booking/{booking.id}?token=" in str(event["URL"])
    forged = site.client.get(f"/booking/{booking.id}/invite.ics?token=nope")
    assert forged.status_code == 403
