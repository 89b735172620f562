"""Exceptions of the availability engine: each has a stable `code` and a message fit for users."""

from __future__ import annotations

from typing import Any


class AvailabilityError(ValueError):
    """Base of every engine error, a ValueError so generic input handling still catches it."""

    code: str = "availability_error"
    default_message: str = "The requested availability could not be computed."

    def __init__(self, message: str | None = None, **details: Any) -> None:
        """Keep a user-facing message and machine-readable details (zone, reason, limit...)."""
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)


class UnknownTimezone(AvailabilityError):
    """A time zone name that is not a known IANA zone."""

    code = "unknown_timezone"

    def __init__(self, zone: object) -> None:
        """Name the offending zone so the user can correct it."""
        self.zone = zone
        super().__init__(f"Unknown time zone: {zone!r}.", zone=zone)


class InvalidInput(AvailabilityError):
    """A value outside its allowed domain (negative duration, weekday 9, wrong host count...)."""

    code = "invalid_input"
    default_message = "Invalid scheduling input."


class InvalidRange(AvailabilityError):
    """A time range whose end is before (or, where empty ranges make no sense, at) its start."""

    code = "invalid_range"
    default_message = "The end of a time range must be after its start."


class NaiveDatetime(InvalidRange):
    """A datetime without a time zone, which the engine cannot place on the timeline."""

    code = "naive_datetime"

    def __init__(self, field: str) -> None:
        """Name the field that lacked a time zone."""
        self.field = field
        super().__init__(f"{field} must be a timezone-aware datetime.", field=field)


SLOT_REASONS: dict[str, str] = {
    "not_on_grid": "That start time is not one of the offered times.",
    "outside_hours": "That time is outside the host's working hours.",
    "outside_window": "That time is beyond how far ahead this event can be booked.",
    "too_soon": "That time is too soon to book.",
    "busy": "That time is no longer available.",
    "limit_reached": "No more meetings can be booked on that day or week.",
    "session_full": "That session has no seats left.",
}


class SlotUnavailable(AvailabilityError):
    """A requested slot cannot be booked; `reason` is one of SLOT_REASONS."""

    code = "slot_unavailable"

    def __init__(self, reason: str) -> None:
        """Pick the user-facing message from the reason code."""
        self.reason = reason
        super().__init__(SLOT_REASONS.get(reason, "That time is not available."), reason=reason)


class GuestsNotAllowed(AvailabilityError):
    """Guests were given for an event that does not allow them."""

    code = "guests_not_allowed"
    default_message = "This event does not allow additional guests."


class TooManyGuests(AvailabilityError):
    """More guests than the event's guest limit."""

    code = "too_many_guests"

    def __init__(self, limit: int, requested: int) -> None:
        """Tell the user the limit they exceeded."""
        self.limit = limit
        self.requested = requested
        super().__init__(
            f"At most {limit} guest(s) can be added to this event.",
            limit=limit,
            requested=requested,
        )
