"""Times as a reader in a given zone should see them: wall clock, zone name and UTC offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def utc_offset_label(offset: timedelta | None) -> str:
    """`UTC+05:30`, `UTC-04:00` or `UTC` for a UTC offset."""
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def zone_label(moment: datetime, zone: str) -> str:
    """`America/New_York (UTC-05:00)`: the zone and its offset at `moment`."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{zone} ({utc_offset_label(local.utcoffset())})"


def format_range(start: datetime, end: datetime, zone: str) -> str:
    """`Tuesday 1 December 2026, 09:00-09:30 America/New_York (UTC-05:00)`."""
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = f"{local_start:%A} {local_start.day} {local_start:%B %Y}"
    if local_end.date() != local_start.date():
        end_text = f"{local_end:%A} {local_end.day} {local_end:%B}, {local_end:%H:%M}"
    else:
        end_text = f"{local_end:%H:%M}"
    return f"{day}, {local_start:%H:%M}-{end_text} {zone_label(start, zone)}"
