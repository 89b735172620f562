"""What can go wrong with a booking, each with a code and a message a caller can show."""

from __future__ import annotations


class BookingError(Exception):
    """Base of booking errors; `code` is stable for APIs, `str()` is for people."""

    code = "booking_error"
    status = 400

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class EventNotFound(BookingError):
    """No active event with that id or slug in this organisation."""

    code, status = "event_not_found", 404


class BookingNotFound(BookingError):
    """No booking with that id in this organisation."""

    code, status = "booking_not_found", 404


class InvalidBooking(BookingError):
    """The request has invalid fields; `errors` maps each field to its message."""

    code, status = "invalid_booking", 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class SlotUnavailable(BookingError):
    """The requested time cannot be booked; `reason` says why (not_on_grid, busy, ...)."""

    code, status = "slot_unavailable", 422


class SlotTaken(BookingError):
    """Someone else took the time a moment ago."""

    code, status = "slot_taken", 409

    def __init__(self) -> None:
        super().__init__("Sorry, that time was just taken. Please pick another time.")


class InvalidTransition(BookingError):
    """The booking's status does not allow this change (e.g. cancelling twice)."""

    code, status = "invalid_transition", 409


class NotAllowed(BookingError):
    """The caller may not change this booking (bad or revoked self-service token)."""

    code, status = "not_allowed", 403


class HostUnavailable(BookingError):
    """The host a booking should go to cannot take it then; `errors` names the field."""

    code, status = "host_unavailable", 409

    def __init__(self, message: str, *, field: str = "to_host", reason: str | None = None) -> None:
        super().__init__(message, reason=reason)
        self.errors = {field: message}
