"""In-memory calendars the generator books against, so the demo keeps the booking invariants.

A host's meeting, padded by its buffers, must fit inside one working window of the local
day, miss time off, overlap no other padded meeting and stay under daily/weekly limits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.demo.period import Interval


@dataclass
class Limits:
    """Meeting counts per local day and ISO week (Monday start) against optional maxima."""

    zone: ZoneInfo
    max_day: int | None
    max_week: int | None
    per_day: Counter[date] = field(default_factory=Counter)
    per_week: Counter[date] = field(default_factory=Counter)

    def allows(self, day: date) -> bool:
        """Whether one more meeting on local date `day` stays within the limits."""
        if self.max_day is not None and self.per_day[day] >= self.max_day:
            return False
        week = day - timedelta(days=day.weekday())
        return self.max_week is None or self.per_week[week] < self.max_week

    def add(self, day: date) -> None:
        """Count one meeting on local date `day`."""
        self.per_day[day] += 1
        self.per_week[day - timedelta(days=day.weekday())] += 1

    def allows_at(self, at: datetime) -> bool:
        """`allows` for the local date of instant `at`."""
        if self.max_day is None and self.max_week is None:
            return True
        return self.allows(at.astimezone(self.zone).date())

    def add_at(self, at: datetime) -> None:
        """`add` for the local date of instant `at`."""
        self.add(at.astimezone(self.zone).date())


@dataclass
class HostCalendar:
    """One host's working windows (UTC, by local date), time off, booked time and limits."""

    zone: ZoneInfo
    windows: dict[date, list[Interval]]
    time_off: list[Interval]
    limits: Limits
    busy: dict[date, list[Interval]] = field(default_factory=dict)

    def local_day(self, at: datetime) -> date:
        """The host's local date at instant `at`."""
        return at.astimezone(self.zone).date()

    def windows_between(self, lo: datetime, hi: datetime) -> list[Interval]:
        """Working windows of the local days touching [lo, hi), in time order."""
        first, last = self.local_day(lo), self.local_day(hi)
        out: list[Interval] = []
        day = first
        while day <= last:
            out.extend(self.windows.get(day, ()))
            day += timedelta(days=1)
        return out

    def is_free(self, lo: datetime, hi: datetime) -> bool:
        """Whether the padded span [lo, hi) can be booked for one more meeting."""
        day = self.local_day(lo)
        if not any(ws <= lo and hi <= we for ws, we in self.windows.get(day, ())):
            return False
        if any(lo < end and start < hi for start, end in self.time_off):
            return False
        if any(lo < end and start < hi for start, end in self.busy.get(day, ())):
            return False
        return self.limits.allows(day)

    def reserve(self, lo: datetime, hi: datetime) -> None:
        """Book the padded span [lo, hi) as one meeting."""
        day = self.local_day(lo)
        self.busy.setdefault(day, []).append((lo, hi))
        self.limits.add(day)
