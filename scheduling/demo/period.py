"""The demo's time frame around `today`, and wall-clock helpers; nothing here reads the clock."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PAST_DAYS = 182
FUTURE_DAYS = 28
SETUP_DAYS_BEFORE = 150

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Period:
    """Bookings start in [start, end) (dates); `now` is midnight UTC of `today`."""

    today: date
    start: date
    end: date
    now: datetime
    setup_at: datetime

    @classmethod
    def around(cls, today: date) -> Period:
        """Six months back and four weeks ahead of `today`; the org was set up before that."""
        start = today - timedelta(days=PAST_DAYS)
        return cls(
            today=today,
            start=start,
            end=today + timedelta(days=FUTURE_DAYS),
            now=datetime.combine(today, time(0), UTC),
            setup_at=datetime.combine(start - timedelta(days=SETUP_DAYS_BEFORE), time(14), UTC),
        )

    def days(self) -> list[date]:
        """Every date of the booking period, in order."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def end_at(self) -> datetime:
        """The instant the booking period ends (midnight UTC after its last day)."""
        return datetime.combine(self.end, time(0), UTC)

    def booked_share(self, starts_at: datetime, mean_lead_days: float) -> float:
        """Share of a future day's eventual bookings already made by `now`."""
        ahead = (starts_at - self.now).total_seconds() / 86400
        return 1.0 if ahead <= 0 else max(0.15, math.exp(-ahead / (3 * mean_lead_days)))


def wall(value: str) -> time:
    """A wall-clock time from 'HH:MM'."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def at_wall(day: date, value: str | time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date in `zone`."""
    clock = wall(value) if isinstance(value, str) else value
    return datetime.combine(day, clock, zone).astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """The UTC instants of local midnight at the start and end of `day` in `zone`."""
    return at_wall(day, time(0), zone), at_wall(day + timedelta(days=1), time(0), zone)


def clamp(value: datetime, low: datetime, high: datetime) -> datetime:
    """`value` moved inside [low, high]."""
    return max(low, min(value, high))
