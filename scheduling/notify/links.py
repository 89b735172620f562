"""Add-to-calendar links for Google Calendar and Outlook on the web."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(
    title: str, start: datetime, end: datetime, details: str, location: str
) -> str:
    """A link that opens Google Calendar's new-event form filled in."""
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{_utc_stamp(start)}/{_utc_stamp(end)}",
            "details": details,
            "location": location,
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_calendar_url(
    title: str, start: datetime, end: datetime, details: str, location: str
) -> str:
    """A link that opens Outlook on the web's new-event form filled in."""
    query = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "enddt": end.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "body": details,
            "location": location,
        }
    )
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{query}"
