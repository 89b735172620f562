"""The small pure helpers behind the pages: origins, CSP, redirect parameters, sanitising."""

from __future__ import annotations

from datetime import UTC, date, datetime

from booking_app.pages import (
    add_months,
    clean_custom_html,
    day_label,
    duration_label,
    initials,
    parse_time,
    policy_with,
    web_origin,
    with_params,
    zone_choices,
)


def test_web_origin_accepts_only_plain_https_hosts() -> None:
    assert web_origin("https://tags.example.com/conv.js?id=1") == "https://tags.example.com"
    assert web_origin("https://tags.example.com:8443/x.js") == "https://tags.example.com:8443"
    assert web_origin("http://tags.example.com/x.js") is None
    assert web_origin("http://thanks.example.com/", ("https", "http")) == (
        "http://thanks.example.com"
    )
    assert web_origin("https://evil.com;script-src *") is None
    assert web_origin("https://user@evil.com/x.js") is None
    assert web_origin("javascript:alert(1)") is None
    assert web_origin(None) is None


def test_policy_with_adds_sources_to_named_directives_only() -> None:
    policy = policy_with({"script-src": ["https://a.test"], "form-action": ["https://b.test"]})
    assert "script-src 'self' https://a.test;" in policy
    assert "form-action 'self' https://b.test;" in policy
    assert "style-src 'self';" in policy
    assert policy.endswith("frame-ancestors 'self'")


def test_with_params_keeps_the_admins_query_and_replaces_ours() -> None:
    url = with_params("https://x.test/thanks?ref=ads&start=old#top", {"start": "2026", "a": "b c"})
    assert url == "https://x.test/thanks?ref=ads&start=2026&a=b+c#top"


def test_custom_html_keeps_formatting_and_drops_the_dangerous_parts() -> None:
    cleaned = clean_custom_html(
        '<p style="position:fixed;top:0" class="x" onclick="go()">Hi <em>there</em></p>'
        '<img src="https://x.test/a.png" onerror="go()" alt="A"><iframe src="https://x.test">'
        '</iframe><h1>Big</h1><table><tr><td colspan="2">cell</td></tr></table>'
    )
    assert cleaned == (
        '<p>Hi <em>there</em></p><img src="https://x.test/a.png" alt="A">Big'
        '<table><tbody><tr><td colspan="2">cell</td></tr></tbody></table>'
    )


def test_formatting_helpers() -> None:
    assert day_label(date(2026, 12, 1)) == "Tuesday 1 December"
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert duration_label(30) == "30 min"
    assert duration_label(90) == "1 h 30 min"
    assert duration_label(120) == "2 h"
    assert initials("Ada Host") == "AH"
    assert initials("Plato") == "P"
    assert parse_time("2026-12-01T00:00:00 09:00", "UTC") == datetime(2026, 11, 30, 15, tzinfo=UTC)
    assert parse_time("2026-12-01T00:00:00", "UTC") == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_time("yesterday", "UTC") is None


def test_zone_choices_show_the_offset_at_the_given_moment() -> None:
    winter = dict(zone_choices(datetime(2026, 1, 15, 12, tzinfo=UTC), "UTC"))
    summer = dict(zone_choices(datetime(2026, 7, 15, 12, tzinfo=UTC), "UTC"))
    assert winter["America/New_York"] == "America/New_York (UTC-05:00)"
    assert summer["America/New_York"] == "America/New_York (UTC-04:00)"
    assert winter["Australia/Adelaide"] == "Australia/Adelaide (UTC+10:30)"
    assert summer["Asia/Kathmandu"] == "Asia/Kathmandu (UTC+05:45)"
    assert "Etc/GMT+5" not in winter
    odd = dict(zone_choices(datetime(2026, 1, 15, 12, tzinfo=UTC), "Etc/GMT+5"))
    assert odd["Etc/GMT+5"] == "Etc/GMT+5 (UTC-05:00)"  # a chosen zone is always listed
