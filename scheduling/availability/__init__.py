"""Availability engine: pure functions from schedules, bookings and rules to bookable slots."""

from .engine import check_slot, compute_slots, occupied_range, union_slots
from .errors import (
    AvailabilityError,
    GuestsNotAllowed,
    InvalidInput,
    InvalidRange,
    NaiveDatetime,
    SlotUnavailable,
    TooManyGuests,
    UnknownTimezone,
)
from .guests import check_guests
from .models import (
    BusyBlock,
    DateOverride,
    EventSpec,
    GroupSession,
    HostAvailability,
    Interval,
    MeetingType,
    RecurringPattern,
    Schedule,
    Slot,
    WeeklyRule,
)
from .sessions import expand_recurring_sessions

__all__ = [
    "AvailabilityError",
    "BusyBlock",
    "DateOverride",
    "EventSpec",
    "GroupSession",
    "GuestsNotAllowed",
    "HostAvailability",
    "Interval",
    "InvalidInput",
    "InvalidRange",
    "MeetingType",
    "NaiveDatetime",
    "RecurringPattern",
    "Schedule",
    "Slot",
    "SlotUnavailable",
    "TooManyGuests",
    "UnknownTimezone",
    "WeeklyRule",
    "check_guests",
    "check_slot",
    "compute_slots",
    "expand_recurring_sessions",
    "occupied_range",
    "union_slots",
]
