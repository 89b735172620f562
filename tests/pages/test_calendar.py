"""Event lists, the month and week views, zones: NOW is Friday 27 November 2026, 12:00 UTC."""

from __future__ import annotations

import re

from tests.pages.scenario import Site


def available_days(html: str) -> list[str]:
    return re.findall(r'aria-label="([^"]+), times available"', html)


def times(html: str) -> list[str]:
    return re.findall(r'<a class="time" href="[^"]*time=([^"&]+)"', html)


def test_index_lists_public_events_with_duration_type_and_hosts(site: Site) -> None:
    html = site.page("/")
    assert "<h1>Book a meeting with Acme School</h1>" in html
    titles = re.findall(r'<h2><a href="/book/([a-z-]+)">([^<]+)</a></h2>', html)
    assert titles[:3] == [
        ("ads-call", "Ads Call"),
        ("approval-call", "Approval Call"),
        ("custom-call", "Custom Call"),
    ]
    assert ("london-office-hours", "London Office Hours") in titles
    card = html[html.index('href="/book/intro-call"') :]
    card = card[: card.index('<li class="card event">')]
    assert "<span>30 min</span>" in card
    assert "<span>Video call</span>" in card
    assert "<span>One-on-one</span>" in card
    assert '<p class="by">With Ada Host</p>' in card


def test_host_page_lists_only_that_hosts_events_and_404s_for_strangers(site: Site) -> None:
    html = site.page("/host/ben-tutor")
    assert "<h1>Ben Tutor</h1>" in html
    assert re.findall(r'<h2><a href="/book/([a-z-]+)">', html) == [
        "approval-call",
        "london-office-hours",
    ]
    missing = site.page("/host/nobody", 404)
    assert "We could not find that person." in missing
    assert "<h1" in missing and "Page not found" in missing


def test_unknown_event_is_a_404_page(site: Site) -> None:
    html = site.page("/book/no-such-event", 404)
    assert "We could not find that event." in html


def test_month_view_marks_the_bookable_days_in_new_york(site: Site) -> None:
    # Ada works weekdays 09-17 New York; now is Friday 27 November 07:00 there.
    html = site.page("/book/intro-call")
    assert '<h3 id="month-title" tabindex="-1">November 2026</h3>' in html
    assert available_days(html) == ["Friday 27 November", "Monday 30 November"]
    assert 'aria-label="No earlier month"' in html  # no going back before this month
    assert 'href="/book/intro-call?month=2026-12" data-nav="next"' in html
    assert '<h3 id="day-title" tabindex="-1">Pick a day</h3>' in html
    assert "America/New_York (UTC-05:00)" in html  # the event's zone until JS detects one
    assert "data-zone-auto" in html


def test_month_view_ends_at_the_booking_window(site: Site) -> None:
    # A 30-day window from 27 November (New York) ends with Sunday 27 December.
    html = site.page("/book/intro-call?month=2026-12")
    days = available_days(html)
    assert days[0] == "Tuesday 1 December"
    assert days[-1] == "Friday 25 December"
    assert len(days) == 19  # every weekday from 1 to 25 December
    assert 'aria-label="No later month"' in html
    assert 'href="/book/intro-call?month=2026-11" data-nav="prev"' in html
    beyond = site.page("/book/intro-call?month=2027-03")  # clamped to the last month
    assert '<h3 id="month-title" tabindex="-1">December 2026</h3>' in beyond


def test_month_view_jumps_to_the_first_month_with_availability(site: Site) -> None:
    # later-chat needs 120 hours' notice: nothing before Wednesday 2 December 07:00 New York.
    html = site.page("/book/later-chat")
    assert '<h3 id="month-title" tabindex="-1">December 2026</h3>' in html
    assert available_days(html)[0] == "Wednesday 2 December"
    assert 'href="/book/later-chat?month=2026-11" data-nav="prev"' in html


def test_month_view_in_tokyo_shifts_days(site: Site) -> None:
    html = site.page("/book/intro-call?timezone=Asia/Tokyo")
    # Friday 09:00 New York is Friday 23:00 Tokyo; Monday 09:00 New York is Monday 23:00.
    assert available_days(html) == [
        "Friday 27 November",
        "Saturday 28 November",
        "Monday 30 November",
    ]
    assert "Asia/Tokyo (UTC+09:00)" in html
    assert "data-zone-auto" not in html  # the visitor chose a zone: no detection
    assert 'href="/book/intro-call?timezone=Asia/Tokyo&amp;month=2026-12"' in html


def test_day_grid_lists_the_days_times_as_links_to_the_form(site: Site) -> None:
    html = site.page("/book/intro-call?date=2026-11-30")
    assert '<h3 id="day-title" tabindex="-1">Monday 30 November</h3>' in html
    found = times(html)
    assert len(found) == 16
    assert found[0] == "2026-11-30T09:00:00-05:00"
    assert found[-1] == "2026-11-30T16:30:00-05:00"
    assert 'aria-current="date">30</a>' in html
    assert 'data-status="16 times available on Monday 30 November."' in html


def test_day_grid_in_tokyo_shows_local_times(site: Site) -> None:
    html = site.page("/book/intro-call?timezone=Asia/Tokyo&date=2026-12-01")
    labels = re.findall(r'<a class="time" [^>]*>(\d\d:\d\d)', html)
    # Monday 10:00-16:30 New York = Tuesday 00:00-06:30 Tokyo; Tuesday 09:00 NY = 23:00.
    assert labels[:2] == ["00:00", "00:30"]
    assert labels[-3:] == ["06:30", "23:00", "23:30"]
    assert times(html)[0] == "2026-12-01T00:00:00%2B09:00"


def test_week_view_shows_seven_days_of_times(site: Site) -> None:
    html = site.page("/book/intro-call?view=week&week=2026-11-30")
    assert '<h3 id="week-title" tabindex="-1">30 Nov \u2013 6 Dec 2026</h3>' in html
    days = re.findall(r'<time datetime="([\d-]+)">([^<]+)</time>', html)
    assert [label for _, label in days] == [
        "Mon 30 Nov", "Tue 1 Dec", "Wed 2 Dec", "Thu 3 Dec", "Fri 4 Dec", "Sat 5 Dec", "Sun 6 Dec",
    ]  # fmt: skip
    assert len(times(html)) == 5 * 16
    assert html.count('<p class="muted">No times</p>') == 2  # the weekend
    assert 'href="/book/intro-call?view=week&amp;week=2026-11-23" data-nav="prev"' in html
    assert 'href="/book/intro-call?view=week&amp;week=2026-12-07" data-nav="next"' in html
    assert '<a href="/book/intro-call?view=week&amp;week=2026-11-30" data-nav="view" ' \
        'aria-current="page">Week</a>' in html  # fmt: skip


def test_week_view_starts_at_the_first_open_week_and_not_before_today(site: Site) -> None:
    html = site.page("/book/intro-call?view=week")
    assert "23 Nov \u2013 29 Nov 2026" in html
    assert [t[:10] for t in times(html)] == ["2026-11-27"] * 16  # Friday only
    assert 'aria-label="No earlier week"' in html
    past = site.page("/book/intro-call?view=week&week=2026-10-05")
    assert "23 Nov \u2013 29 Nov 2026" in past


def test_zone_selector_lists_zones_with_offsets_and_marks_the_chosen_one(site: Site) -> None:
    html = site.page("/book/intro-call?timezone=Asia/Kolkata")
    assert '<select id="tz" name="timezone">' in html
    assert '<option value="Asia/Kolkata" selected>Asia/Kolkata (UTC+05:30)</option>' in html
    assert '<option value="America/New_York">America/New_York (UTC-05:00)</option>' in html
    assert '<option value="Europe/London">Europe/London (UTC)</option>' in html
    assert html.count("<option value=") > 400
    assert 'id="tz-filter"' in html  # the search box JS reveals


def test_unknown_zone_falls_back_to_the_event_zone_with_a_message(site: Site) -> None:
    html = site.page("/book/intro-call?timezone=Mars/Olympus")
    assert "We do not know the time zone &#39;Mars/Olympus&#39;" in html
    assert 'data-zone="America/New_York"' in html


def test_locked_zone_hides_the_selector_and_shows_the_event_zone(site: Site) -> None:
    html = site.page("/book/london-office-hours?timezone=Asia/Tokyo&date=2026-11-30")
    assert '<select id="tz"' not in html
    assert "data-zone-auto" not in html
    assert "Times are in <strong>Europe/London (UTC)</strong>, the event's time zone." in html
    # Ben works 09:00-17:00 London: times are London times whatever the URL asks for.
    assert times(html)[0] == "2026-11-30T09:00:00%2B00:00"
    assert "timezone=Asia" not in html


def test_partial_returns_only_the_calendar_fragment(site: Site) -> None:
    html = site.page("/book/intro-call?timezone=Asia/Tokyo&date=2026-12-01&partial=1")
    assert html.startswith('<div id="picker" class="picker" data-zone="Asia/Tokyo"')
    assert "<html" not in html
    assert len(times(html)) == 16


def test_visits_are_tracked_page_view_slot_view_and_booking_started(site: Site) -> None:
    seen: list[str] = []

    def new_steps(url: str) -> list[str]:
        site.page(url)
        types = [t for t, _ in site.steps()]
        for t in seen:
            types.remove(t)
        seen.extend(types)
        return sorted(types)

    assert new_steps("/book/intro-call") == ["page_view"]
    assert new_steps("/book/intro-call?date=2026-11-30") == ["page_view", "slot_view"]
    assert new_steps("/book/intro-call?date=2026-12-01&partial=1") == ["slot_view"]
    assert new_steps("/book/intro-call?month=2026-12&partial=1") == []
    assert new_steps(site.form_url()) == ["booking_started", "page_view"]


def test_a_stale_time_link_shows_the_day_again(site: Site) -> None:
    html = site.page("/book/intro-call?time=2026-11-28T10:00:00-05:00")  # a Saturday
    assert "That time is no longer available. Please pick another time." in html
    assert '<h3 id="day-title" tabindex="-1">Saturday 28 November</h3>' in html
    assert 'name="csrf_token"' not in html
