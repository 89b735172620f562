"""An attendee in Tokyo books, reschedules and cancels with a New York host, in Chromium.

NOW (the app's clock) is Friday 27 November 2026, 12:00 UTC. Ada Host works 09:00-17:00
America/New_York on weekdays; the browser's zone is Asia/Tokyo (UTC+09:00), so Monday
30 November 10:00 New York is Tuesday 1 December 00:00 for the attendee.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import icalendar

from tests.browser.conftest import Live
from tests.browser.helpers import (
    body_of,
    book_direct,
    calendar_event,
    manage_link,
    no_horizontal_overflow,
    to,
    watched,
)
from tests.pages.scenario import MONDAY_10, NY, TOKYO


def fill_details(page: Any) -> None:
    page.get_by_role("textbox", name="Your name").fill("Kenji Sato")
    page.get_by_role("textbox", name="Email", exact=True).fill("kenji@example.jp")
    page.get_by_label("Topic").fill("Visa questions")


def test_tokyo_attendee_books_and_page_email_and_calendar_agree(
    browser: Any, live: Live, shots: Path
) -> None:
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB", accept_downloads=True)
    page, problems = watched(context)
    page.goto(f"{live.base}/book/intro-call")
    # The zone is detected in the browser and the calendar reloaded in it.
    page.wait_for_selector('#picker[data-zone="Asia/Tokyo"]')
    assert "timezone=Asia%2FTokyo" in page.url
    assert page.locator("#tz").input_value() == "Asia/Tokyo"
    assert page.locator("#month-title").inner_text() == "November 2026"
    page.get_by_role("link", name="Next month").click()
    page.wait_for_selector('#month-title:text-is("December 2026")')
    held: list[Any] = []  # hold the fragment request to see the loading state
    page.route(lambda url: "partial=1" in url, lambda route: held.append(route))
    page.get_by_role("link", name="Tuesday 1 December, times available").click()
    page.wait_for_selector("[data-slots][aria-busy=true] .skeleton")
    assert page.locator(".skeleton").count() == 8
    assert page.locator("#slot-status").inner_text() == "Loading available times\u2026"
    page.screenshot(path=str(shots / "desktop-loading.png"))
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.unroute_all()
    page.wait_for_selector('#day-title:text-is("Tuesday 1 December")')
    assert page.locator(".skeleton").count() == 0
    assert page.locator("#slot-status").inner_text() == (
        "16 times available on Tuesday 1 December."
    )
    assert page.evaluate("document.activeElement.id") == "day-title"
    assert "date=2026-12-01" in page.url
    assert page.locator(".times .time").first.inner_text() == "00:00"
    page.screenshot(path=str(shots / "desktop-day.png"), full_page=True)

    page.get_by_role("link", name="00:00 on Tuesday 1 December").click()
    page.wait_for_selector("#form-title")
    assert "Tuesday 1 December 2026, 00:00-00:30" in page.locator(".chosen").inner_text()
    fill_details(page)
    page.screenshot(path=str(shots / "desktop-form.png"), full_page=True)
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_selector("#done-title")
    page.screenshot(path=str(shots / "desktop-confirmation.png"), full_page=True)

    shown = page.locator(".summary time")
    assert shown.inner_text() == "Tuesday 1 December 2026, 00:00-00:30"
    assert shown.get_attribute("datetime") == "2026-12-01T00:00:00+09:00"
    assert page.locator(".zone-text").inner_text() == "Asia/Tokyo (UTC+09:00)"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .ics file").click()
    downloaded = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    (file_event,) = downloaded.walk("VEVENT")

    (attendee_mail,) = to(live.deliver(), "kenji@example.jp")
    assert attendee_mail["Subject"] == "Confirmed: Intro Call on Tue 1 Dec, 00:00 (Asia/Tokyo)"
    assert "When:  Tuesday 1 December 2026, 00:00-00:30 Asia/Tokyo (UTC+09:00)" in body_of(
        attendee_mail
    )
    mailed_event = calendar_event(attendee_mail)
    for event in (mailed_event, file_event):
        assert event.decoded("DTSTART") == MONDAY_10
        assert event.decoded("DTSTART").astimezone(TOKYO) == datetime(
            2026, 12, 1, 0, 0, tzinfo=TOKYO
        )
        assert event.decoded("DTEND") == datetime(2026, 11, 30, 10, 30, tzinfo=NY)
    assert str(mailed_event["UID"]) == str(file_event["UID"])
    (booking,) = live.site.bookings()
    assert booking.starts_at == MONDAY_10
    assert booking.attendee_timezone == "Asia/Tokyo"
    assert problems == []
    context.close()


def test_reschedule_then_cancel_from_the_emailed_link(
    browser: Any, live: Live, shots: Path
) -> None:
    book_direct(live.site, "intro-call", MONDAY_10)
    (confirmation,) = to(live.deliver(), "kenji@example.jp")
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB")
    page, problems = watched(context)

    page.goto(manage_link(confirmation, live.base))
    assert page.locator(".summary time").inner_text() == "Tuesday 1 December 2026, 00:00-00:30"
    page.get_by_role("link", name="Next month").click()
    page.wait_for_selector('#month-title:text-is("December 2026")')
    page.get_by_role("link", name="Tuesday 1 December, times available").click()
    page.wait_for_selector('#day-title:text-is("Tuesday 1 December")')
    labels = page.locator(".times .time").all_inner_texts()
    assert "00:00" not in labels  # the current booking's own time is taken
    page.screenshot(path=str(shots / "manage-day.png"), full_page=True)
    page.get_by_role("link", name="01:30 on Tuesday 1 December").click()
    assert "Tuesday 1 December 2026, 01:30-02:00" in page.locator(".chosen").inner_text()
    page.get_by_role("button", name="Confirm new time").click()
    page.wait_for_selector(".notice")
    assert "Your booking has been moved to the new time." in page.locator(".notice").inner_text()
    assert page.locator(".summary time").inner_text() == "Tuesday 1 December 2026, 01:30-02:00"

    messages = live.deliver()
    (moved_mail,) = [m for m in to(messages, "kenji@example.jp") if m["Subject"].startswith("Re")]
    assert moved_mail["Subject"] == "Rescheduled: Intro Call is now Tue 1 Dec, 01:30 (Asia/Tokyo)"
    assert calendar_event(moved_mail).decoded("DTSTART") == datetime(
        2026, 11, 30, 11, 30, tzinfo=NY
    )
    new_link = manage_link(moved_mail, live.base)
    assert page.url.startswith(new_link)

    page.goto(new_link)
    page.get_by_label("Reason for cancelling (optional)").fill("Found a tutor")
    page.get_by_role("button", name="Cancel booking").click()
    page.wait_for_selector(".notice")
    assert page.locator(".badge").inner_text() == "Cancelled"
    assert "Found a tutor" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "manage-cancelled.png"), full_page=True)

    cancelled = [m for m in to(live.deliver(), "kenji@example.jp") if "Cancelled" in m["Subject"]]
    (cancel_mail,) = cancelled
    assert cancel_mail["Subject"] == "Cancelled: Intro Call on Tue 1 Dec, 01:30 (Asia/Tokyo)"
    assert "Reason: Found a tutor" in body_of(cancel_mail)
    assert str(calendar_event(cancel_mail)["STATUS"]) == "CANCELLED"
    assert problems == []
    context.close()


def test_booking_on_a_375px_phone(browser: Any, live: Live, shots: Path) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        timezone_id="Asia/Tokyo",
        locale="en-GB",
    )
    page, problems = watched(context)
    page.goto(f"{live.base}/")
    no_horizontal_overflow(page)
    page.screenshot(path=str(shots / "phone-index.png"), full_page=True)
    page.get_by_role("link", name="Intro Call").click()
    page.wait_for_selector('#picker[data-zone="Asia/Tokyo"]')
    no_horizontal_overflow(page)
    page.screenshot(path=str(shots / "phone-month.png"), full_page=True)
    page.get_by_role("link", name="Saturday 28 November, times available").click()
    page.wait_for_selector('#day-title:text-is("Saturday 28 November")')
    no_horizontal_overflow(page)
    page.screenshot(path=str(shots / "phone-day.png"), full_page=True)
    page.get_by_role("link", name="Week").click()
    page.wait_for_selector("#week-title")
    no_horizontal_overflow(page)
    page.screenshot(path=str(shots / "phone-week.png"), full_page=True)
    page.get_by_role("link", name="Month").click()
    page.wait_for_selector("#month-title")
    # Friday 13:00 New York is Saturday 03:00 in Tokyo.
    page.get_by_role("link", name="Saturday 28 November, times available").click()
    page.get_by_role("link", name="03:00 on Saturday 28 November").click()
    page.wait_for_selector("#form-title")
    no_horizontal_overflow(page)
    fill_details(page)
    page.screenshot(path=str(shots / "phone-form.png"), full_page=True)
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_selector("#done-title")
    no_horizontal_overflow(page)
    page.screenshot(path=str(shots / "phone-confirmation.png"), full_page=True)
    assert page.locator(".summary time").inner_text() == "Saturday 28 November 2026, 03:00-03:30"
    (booking,) = live.site.bookings()
    assert booking.starts_at == datetime(2026, 11, 27, 13, tzinfo=NY)
    assert problems == []
    context.close()


def test_zone_search_switches_the_calendar_and_back_returns(browser: Any, live: Live) -> None:
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB")
    page, problems = watched(context)
    page.goto(f"{live.base}/book/intro-call?date=2026-11-30")
    page.wait_for_selector('#picker[data-zone="Asia/Tokyo"]')
    search = page.get_by_role("searchbox", name="Search time zones")
    search.fill("kolk")
    options = page.locator("#tz option").all_inner_texts()
    assert options == ["Asia/Kolkata (UTC+05:30)", "Asia/Tokyo (UTC+09:00)"]
    page.locator("#tz").select_option("Asia/Kolkata")
    page.wait_for_selector('#picker[data-zone="Asia/Kolkata"]')
    assert "timezone=Asia%2FKolkata" in page.url
    # Monday 30 November 09:00-16:30 New York is 19:30 Monday to 03:00 Tuesday in Kolkata.
    assert page.locator("#day-title").inner_text() == "Monday 30 November"
    assert page.locator(".times .time").all_inner_texts() == [
        "19:30", "20:00", "20:30", "21:00", "21:30", "22:00", "22:30", "23:00", "23:30",
    ]  # fmt: skip
    page.go_back()
    page.wait_for_selector('#picker[data-zone="Asia/Tokyo"]')
    assert page.locator(".times .time").first.inner_text() == "23:00"
    assert problems == []
    context.close()


def test_booking_works_without_javascript(browser: Any, live: Live) -> None:
    context = browser.new_context(java_script_enabled=False, timezone_id="Asia/Tokyo")
    page, problems = watched(context)
    page.goto(f"{live.base}/book/intro-call")
    assert page.locator("#picker").get_attribute("data-zone") == "America/New_York"
    assert page.locator("#tz-filter").is_hidden()  # the search box needs JS
    page.locator("#tz").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Show times").click()
    page.wait_for_url("**timezone=Asia%2FTokyo**")
    page.get_by_role("link", name="Next month").click()
    page.get_by_role("link", name="Tuesday 1 December, times available").click()
    page.get_by_role("link", name="00:00 on Tuesday 1 December").click()
    fill_details(page)
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_selector("#done-title")
    assert page.locator(".summary time").inner_text() == "Tuesday 1 December 2026, 00:00-00:30"
    (booking,) = live.site.bookings()
    assert booking.starts_at == MONDAY_10
    assert booking.attendee_timezone == "Asia/Tokyo"
    assert problems == []
    context.close()
