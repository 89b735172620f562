"""Page weight and the CSP rules every page follows (no inline script or style).

NOW is Friday 27 November 2026, 12:00 UTC; pages are fetched in America/New_York.
"""

from __future__ import annotations

import re

from tests.pages.scenario import Site

BUDGET = 100 * 1024


def first_load_bytes(site: Site, path: str) -> dict[str, int]:
    html = site.client.get(path).get_data()
    sizes = {path: len(html)}
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        sizes[asset.decode()] = len(site.client.get(asset.decode()).get_data())
    return sizes


def test_booking_page_first_load_is_under_100_kb(site: Site) -> None:
    sizes = first_load_bytes(site, "/book/intro-call")
    assert set(sizes) == {"/book/intro-call", "/static/booking.css", "/static/booking.js"}
    assert sum(sizes.values()) < BUDGET, sizes
    day = first_load_bytes(site, "/book/intro-call?timezone=Asia/Tokyo&date=2026-12-01")
    assert sum(day.values()) < BUDGET, day


def test_pages_have_no_inline_script_or_style(site: Site) -> None:
    response = site.book()
    confirmation = response.headers["Location"]
    for path in [
        "/",
        "/host/ada-host",
        "/book/intro-call?date=2026-11-30",
        "/book/intro-call?view=week",
        site.form_url(start=site.bookings()[0].starts_at.replace(hour=16)),
        confirmation,
        "/book/missing",
    ]:
        html = site.client.get(path).get_data(as_text=True)
        assert "<style" not in html, path
        assert " style=" not in html, path
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path
        assert '<html lang="en">' in html
        assert '<main id="main"' in html


def test_every_page_has_the_security_headers(site: Site) -> None:
    response = site.client.get("/book/intro-call")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_serializer_is_kept_per_key(site: Site) -> None:
    """Built once while the keys stay the same; a rotated key gets its own, which still
    reads cookies signed with the old key while it is a fallback."""
    app, sessions = site.app, site.app.session_interface
    first = sessions.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert first is not None
    assert sessions.get_signing_serializer(app) is first  # type: ignore[attr-defined]
    cookie = first.dumps({"csrf_token": "abc"})
    app.config["SECRET_KEY_FALLBACKS"] = [app.secret_key]
    app.secret_key = "a rotated key"
    rotated = sessions.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert rotated is not first
    assert rotated.loads(cookie) == {"csrf_token": "abc"}
    assert rotated.dumps({"csrf_token": "abc"}) != cookie
