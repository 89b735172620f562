"""What attendees see after booking: the one sanitiser for admin-written HTML, and URL checks.

The booking app renders the custom confirmation page through `clean_custom_html`, and the
console previews it through the same function, so what an admin sees is what attendees get.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

# Text formatting, links, lists, tables and images only; no style attributes (the page's CSP
# would not apply them, and they allow overlays).
CUSTOM_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
CUSTOM_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang", "dir"},
}
_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?")


def clean_custom_html(html: str) -> str:
    """Admin-written confirmation HTML, sanitised: no scripts, handlers or style attributes."""
    return nh3.clean(
        html,
        tags=CUSTOM_TAGS,
        attributes=CUSTOM_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


def web_origin(url: str | None, schemes: tuple[str, ...] = ("https",)) -> str | None:
    """`https://host[:port]` of a URL, if it is one with an allowed scheme and a plain host."""
    parts = urlsplit(url or "")
    if parts.scheme not in schemes or not _HOST.fullmatch(parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}"
