"""An event's settings: their names, defaults, and the checks every create and update passes.

`clean_settings` turns what a caller sent into column values and collects every problem as
field -> message; `check_combination` looks at the settings together (guests, confirmation
page, meeting type against the number of hosts). Neither touches the database.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from scheduling.catalog.confirmation import clean_custom_html, web_origin
from scheduling.models import ConfirmationPage, LocationType, MeetingType
from scheduling.zones import valid_timezone

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 100
DAY_MINUTES = 24 * 60

# The settings a person can change, in the groups the console edits them in (a form each).
GROUPS: dict[str, tuple[str, ...]] = {
    "basics": (
        "title",
        "slug",
        "description",
        "meeting_type",
        "duration_minutes",
        "capacity",
        "location_type",
        "location",
        "video_link",
    ),
    "scheduling rules": (
        "slot_increment_minutes",
        "buffer_before",
        "buffer_after",
        "min_notice_hours",
        "booking_window_days",
        "max_daily_bookings",
        "max_weekly_bookings",
        "require_approval",
        "schedule_id",
    ),
    "guests and zone": (
        "allow_guests",
        "guest_limit",
        "collect_phone",
        "display_timezone",
        "lock_timezone",
    ),
    "confirmation page": (
        "confirmation_page_type",
        "confirmation_redirect_url",
        "confirmation_custom_html",
        "show_add_to_calendar",
        "show_reschedule_link",
        "conversion_script_url",
    ),
}
# Every setting: the groups, plus is_active (changed by (de)activating, not in a form).
SETTINGS: tuple[str, ...] = (*(f for group in GROUPS.values() for f in group), "is_active")

# A new event's settings when the caller leaves them out (the columns' server defaults).
DEFAULTS: dict[str, Any] = {
    "description": None,
    "meeting_type": MeetingType.ONE_ON_ONE,
    "duration_minutes": 30,
    "capacity": 1,
    "location_type": LocationType.VIDEO,
    "location": None,
    "video_link": None,
    "is_active": True,
    "slot_increment_minutes": None,
    "buffer_before": None,
    "buffer_after": None,
    "min_notice_hours": 24,
    "booking_window_days": 60,
    "max_daily_bookings": None,
    "max_weekly_bookings": None,
    "require_approval": False,
    "schedule_id": None,
    "allow_guests": False,
    "guest_limit": 0,
    "collect_phone": False,
    "display_timezone": "America/New_York",
    "lock_timezone": False,
    "confirmation_page_type": ConfirmationPage.DEFAULT,
    "confirmation_redirect_url": None,
    "confirmation_custom_html": None,
    "show_add_to_calendar": True,
    "show_reschedule_link": True,
    "conversion_script_url": None,
}

WHOLE = "Use a whole number."
LIMIT = "Use a number of at least 1, or leave it empty for no limit."
BUFFER = "Buffers are minutes, 0 or more (leave empty to use each host's default)."
SLUG_FORMAT = "Use lowercase letters, digits and hyphens, e.g. intro-call."
ONE_HOST = "A one-on-one event has exactly one host."


class _Bad(ValueError):
    """One field's problem, raised by a cleaner and collected by `clean_settings`."""


def _text(limit: int, *, required: str | None = None) -> Callable[[Any], str | None]:
    def clean(value: Any) -> str | None:
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                raise _Bad(required)
            return None
        if len(text) > limit:
            raise _Bad(f"Please use at most {limit} characters.")
        return text

    return clean


def _whole(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(WHOLE)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise _Bad(WHOLE)


def _number(
    low: int, high: int, message: str, *, optional: bool = False
) -> Callable[[Any], int | None]:
    def clean(value: Any) -> int | None:
        number = _whole(value)
        if number is None:
            if optional:
                return None
            raise _Bad(message)
        if not low <= number <= high:
            raise _Bad(message)
        return number

    return clean


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad("Choose yes or no.")
    return value


def _choice(kind: type[StrEnum], label: str) -> Callable[[Any], StrEnum]:
    def clean(value: Any) -> StrEnum:
        try:
            return kind(value)
        except ValueError:
            raise _Bad(f"Unknown {label} {value!r}.") from None

    return clean


def _slug(value: Any) -> str:
    slug = "" if value is None else str(value).strip()
    if not slug:
        raise _Bad("Please enter the event's web address (slug).")
    if len(slug) > SLUG_MAX:
        raise _Bad(f"Please use at most {SLUG_MAX} characters.")
    if not SLUG.fullmatch(slug):
        raise _Bad(SLUG_FORMAT)
    return slug


def _zone(value: Any) -> str:
    zone = "" if value is None else str(value).strip()
    if not valid_timezone(zone):
        raise _Bad(f"Unknown time zone {zone!r}.")
    return zone


def _url(schemes: tuple[str, ...], message: str) -> Callable[[Any], str | None]:
    def clean(value: Any) -> str | None:
        url = _text(500)(value)
        if url is not None and web_origin(url, schemes) is None:
            raise _Bad(message)
        return url

    return clean


def _uuid(value: Any) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise _Bad("Unknown schedule.") from None


def _html(value: Any) -> str | None:
    html = "" if value is None else str(value)
    return html if html.strip() else None


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "title": _text(255, required="Please enter a title."),
    "slug": _slug,
    "description": _text(5000),
    "meeting_type": _choice(MeetingType, "meeting type"),
    "duration_minutes": _number(
        1, DAY_MINUTES, f"The duration is minutes, from 1 to {DAY_MINUTES}."
    ),
    "capacity": _number(1, 10_000, "Capacity is a number of seats, at least 1."),
    "location_type": _choice(LocationType, "location type"),
    "location": _text(500),
    "video_link": _url(("https", "http"), "Use a full http:// or https:// address."),
    "is_active": _flag,
    "slot_increment_minutes": _number(
        1,
        DAY_MINUTES,
        "Use a number of minutes above 0, or leave it empty to step by the duration.",
        optional=True,
    ),
    "buffer_before": _number(0, DAY_MINUTES, BUFFER, optional=True),
    "buffer_after": _number(0, DAY_MINUTES, BUFFER, optional=True),
    "min_notice_hours": _number(0, 24 * 365, "Notice is a number of hours, 0 or more."),
    "booking_window_days": _number(
        1, 3650, "Use a number of days above 0, or leave it empty for no limit.", optional=True
    ),
    "max_daily_bookings": _number(1, 10_000, LIMIT, optional=True),
    "max_weekly_bookings": _number(1, 10_000, LIMIT, optional=True),
    "require_approval": _flag,
    "schedule_id": _uuid,
    "allow_guests": _flag,
    "guest_limit": _number(0, 100, "The guest limit is a number of guests, 0 or more."),
    "collect_phone": _flag,
    "display_timezone": _zone,
    "lock_timezone": _flag,
    "confirmation_page_type": _choice(ConfirmationPage, "confirmation page"),
    "confirmation_redirect_url": _url(("https", "http"), "Use a full http:// or https:// address."),
    "confirmation_custom_html": _html,
    "show_add_to_calendar": _flag,
    "show_reschedule_link": _flag,
    "conversion_script_url": _url(("https",), "The conversion script must be an https:// address."),
}


def clean_settings(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(column values, problems by field) for the settings in `values`."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in values.items():
        cleaner = CLEANERS.get(field)
        if cleaner is None:
            errors[field] = "Not a setting of an event."
            continue
        try:
            cleaned[field] = cleaner(value)
        except _Bad as exc:
            errors[field] = str(exc)
    return cleaned, errors


_CONFIRMATION = frozenset(
    {"confirmation_page_type", "confirmation_redirect_url", "confirmation_custom_html"}
)
# The field a combination problem is reported on -> the fields that combination reads.
RELATED: dict[str, frozenset[str]] = {
    "guest_limit": frozenset({"allow_guests", "guest_limit"}),
    "confirmation_redirect_url": _CONFIRMATION,
    "confirmation_custom_html": _CONFIRMATION,
    "meeting_type": frozenset({"meeting_type"}),
}


def check_combination(settings: Mapping[str, Any], n_hosts: int, errors: dict[str, str]) -> None:
    """Add problems that only show when settings are read together (all fields present)."""
    _check_guests(settings, errors)
    _check_confirmation(settings, errors)
    if (
        "meeting_type" not in errors
        and settings["meeting_type"] is MeetingType.ONE_ON_ONE
        and n_hosts > 1
    ):
        errors["meeting_type"] = f"{ONE_HOST} Remove the other hosts first, or pick another type."


def _check_guests(settings: Mapping[str, Any], errors: dict[str, str]) -> None:
    if "guest_limit" in errors or "allow_guests" in errors:
        return
    if settings["allow_guests"] and settings["guest_limit"] < 1:
        errors["guest_limit"] = "Allow at least one guest, or turn guests off."
    elif not settings["allow_guests"] and settings["guest_limit"] > 0:
        errors["guest_limit"] = "Turn on guests to set a guest limit."


def _check_confirmation(settings: Mapping[str, Any], errors: dict[str, str]) -> None:
    kind = settings["confirmation_page_type"]
    if "confirmation_page_type" in errors:
        return
    if (
        kind is ConfirmationPage.REDIRECT
        and "confirmation_redirect_url" not in errors
        and not settings["confirmation_redirect_url"]
    ):
        errors["confirmation_redirect_url"] = "Enter the address to send attendees to."
    if kind is ConfirmationPage.CUSTOM and "confirmation_custom_html" not in errors:
        html = settings["confirmation_custom_html"] or ""
        if not clean_custom_html(html).strip():
            errors["confirmation_custom_html"] = (
                "Write the page's content (scripts and styles are removed), "
                "or choose another kind of page."
            )


def slugify(text: str) -> str:
    """A slug from free text: `Intro call (EN)` -> `intro-call-en`; "event" when nothing is left."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[:80].rstrip("-") or "event"
