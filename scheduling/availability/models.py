"""Frozen, validated input and output types of the availability engine."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from .errors import InvalidInput, InvalidRange
from .zones import load_zone, require_aware

Minutes = int


class MeetingType(StrEnum):
    """How hosts combine: one host, scheduled group sessions, all hosts, any host, or a panel."""

    ONE_ON_ONE = "one_on_one"
    GROUP = "group"
    COLLECTIVE = "collective"
    ROUND_ROBIN = "round_robin"
    PANEL = "panel"


def _non_negative(name: str, value: float | None, *, optional: bool = False) -> None:
    """Reject negative (or missing, unless optional) numeric settings with InvalidInput."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InvalidInput(f"{name} must be a non-negative number.", field=name)


def _count(name: str, value: int | None, *, optional: bool = False) -> None:
    """Reject negative, non-integer (or missing, unless optional) minutes and counts."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{name} must be a whole number >= 0.", field=name)


def _positive_int(name: str, value: int | None, *, optional: bool = False) -> None:
    """Reject zero, negative, non-integer (or missing, unless optional) counts."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(f"{name} must be a positive whole number.", field=name)


def _freeze(obj: object, *names: str) -> None:
    """Store list-like fields as tuples so inputs stay immutable and hashable."""
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, tuple):
            object.__setattr__(obj, name, tuple(value))


def _wall_range(start: time, end: time) -> None:
    """Validate a same-day wall-clock range: naive times and end after start (no overnight)."""
    if not isinstance(start, time) or not isinstance(end, time):
        raise InvalidInput("Working hours must be given as times of day.")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise InvalidInput("Working-hour times are wall-clock times and take no time zone.")
    if end <= start:
        raise InvalidRange(
            f"Working hours {start:%H:%M}-{end:%H:%M} end before they start "
            "(overnight hours must be split at midnight).",
            start=start,
            end=end,
        )


def _aware_range(start: datetime, end: datetime, what: str) -> None:
    """Validate an aware datetime range whose end is not before its start."""
    require_aware(f"{what}.start", start)
    require_aware(f"{what}.end", end)
    if end < start:
        raise InvalidRange(f"The {what} ends before it starts.", start=start, end=end)


@dataclass(frozen=True, slots=True)
class Interval:
    """A span of real time [start, end) given by aware datetimes (external busy, time off)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        """Reject naive datetimes and reversed ranges."""
        _aware_range(self.start, self.end, "interval")


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """Working hours on one weekday (0 = Monday) as a wall-clock range in the schedule's zone."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        """Reject unknown weekdays and overnight or empty ranges."""
        if isinstance(self.weekday, bool) or self.weekday not in range(7):
            raise InvalidInput("weekday must be 0 (Monday) to 6 (Sunday).", field="weekday")
        _wall_range(self.start, self.end)


@dataclass(frozen=True, slots=True)
class DateOverride:
    """Replacement hours for one local date; no intervals means the whole day off."""

    day: date
    intervals: tuple[tuple[time, time], ...] = ()

    def __post_init__(self) -> None:
        """Require a plain date and valid same-day ranges."""
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise InvalidInput("An override's day must be a date.", field="day")
        object.__setattr__(self, "intervals", tuple(tuple(pair) for pair in self.intervals))
        for start, end in self.intervals:
            _wall_range(start, end)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Weekly wall-clock working hours in an IANA zone, with per-date overrides."""

    timezone: str
    weekly: tuple[WeeklyRule, ...] = ()
    overrides: tuple[DateOverride, ...] = ()

    def __post_init__(self) -> None:
        """Resolve the zone now (UnknownTimezone) and forbid two overrides for one date."""
        load_zone(self.timezone)
        _freeze(self, "weekly", "overrides")
        days = [o.day for o in self.overrides]
        if len(days) != len(set(days)):
            raise InvalidInput("A date can only be overridden once.", field="overrides")


@dataclass(frozen=True, slots=True)
class BusyBlock:
    """An existing non-cancelled booking of a host, with the buffers it was booked with."""

    booking_id: Hashable
    event_id: Hashable
    start: datetime
    end: datetime
    buffer_before: Minutes = 0
    buffer_after: Minutes = 0

    def __post_init__(self) -> None:
        """Reject naive or reversed times and negative buffers."""
        _aware_range(self.start, self.end, "booking")
        _count("buffer_before", self.buffer_before)
        _count("buffer_after", self.buffer_after)


@dataclass(frozen=True, slots=True, kw_only=True)
class HostAvailability:
    """Everything the engine needs about one host: the applicable schedule, busy time, limits."""

    host_id: Hashable
    timezone: str
    schedule: Schedule
    busy: tuple[BusyBlock, ...] = ()
    external_busy: tuple[Interval, ...] = ()
    time_off: tuple[Interval, ...] = ()
    max_per_day: int | None = None
    max_per_week: int | None = None
    default_buffer_before: Minutes = 0
    default_buffer_after: Minutes = 0

    def __post_init__(self) -> None:
        """Resolve the host zone and check limits and default buffers."""
        load_zone(self.timezone)
        _freeze(self, "busy", "external_busy", "time_off")
        _count("max_per_day", self.max_per_day, optional=True)
        _count("max_per_week", self.max_per_week, optional=True)
        _count("default_buffer_before", self.default_buffer_before)
        _count("default_buffer_after", self.default_buffer_after)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSpec:
    """An event type's booking rules; None buffers fall back to each host's defaults."""

    event_id: Hashable
    meeting_type: MeetingType
    duration_minutes: Minutes
    display_timezone: str
    increment_minutes: Minutes | None = None
    buffer_before: Minutes | None = None
    buffer_after: Minutes | None = None
    min_notice_hours: float = 0
    booking_window_days: int | None = None
    max_per_day: int | None = None
    max_per_week: int | None = None
    capacity: int = 1
    allow_guests: bool = False
    guest_limit: int | None = None

    def __post_init__(self) -> None:
        """Check the meeting type, zone and every numeric setting."""
        if not isinstance(self.meeting_type, MeetingType):
            raise InvalidInput("Unknown meeting type.", field="meeting_type")
        load_zone(self.display_timezone)
        _positive_int("duration_minutes", self.duration_minutes)
        _positive_int("increment_minutes", self.increment_minutes, optional=True)
        _positive_int("capacity", self.capacity)
        for name in (
            "buffer_before",
            "buffer_after",
            "booking_window_days",
            "max_per_day",
            "max_per_week",
            "guest_limit",
        ):
            _count(name, getattr(self, name), optional=True)
        _non_negative("min_notice_hours", self.min_notice_hours)


@dataclass(frozen=True, slots=True)
class GroupSession:
    """One scheduled session of a group event; capacity None means the event's capacity."""

    session_id: Hashable
    start: datetime
    end: datetime
    capacity: int | None = None
    seats_taken: int = 0

    def __post_init__(self) -> None:
        """Reject naive or empty sessions and impossible seat counts."""
        _aware_range(self.start, self.end, "session")
        if self.end == self.start:
            raise InvalidRange("A session must last longer than zero minutes.")
        _positive_int("capacity", self.capacity, optional=True)
        _count("seats_taken", self.seats_taken)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecurringPattern:
    """Weekly group sessions on given weekdays at one wall-clock time in a zone."""

    pattern_id: str
    weekdays: tuple[int, ...]
    start_time: time
    duration_minutes: Minutes
    timezone: str
    capacity: int | None = None

    def __post_init__(self) -> None:
        """Check weekdays, time, duration, capacity and zone."""
        _freeze(self, "weekdays")
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise InvalidInput("weekdays must list days 0 (Monday) to 6 (Sunday).")
        if not isinstance(self.start_time, time) or self.start_time.tzinfo is not None:
            raise InvalidInput("start_time must be a wall-clock time without a zone.")
        _positive_int("duration_minutes", self.duration_minutes)
        _positive_int("capacity", self.capacity, optional=True)
        load_zone(self.timezone)


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable time (aware UTC), who can take it and how many seats remain."""

    start: datetime
    end: datetime
    host_ids: tuple[Hashable, ...]
    seats_remaining: int = 1
    session_id: Hashable | None = None
