"""Bookings: create, reschedule, cancel, approve and decline, each in one transaction."""

from scheduling.booking.admin import (
    BookingFilter,
    BookingRow,
    list_bookings,
    mark_attendance,
    may_change,
)
from scheduling.booking.changes import (
    approve_booking,
    cancel_booking,
    decline_booking,
    reschedule_booking,
    revoke_token,
    verify_attendee,
)
from scheduling.booking.errors import (
    BookingError,
    BookingNotFound,
    EventNotFound,
    InvalidBooking,
    InvalidTransition,
    NotAllowed,
    SlotTaken,
    SlotUnavailable,
)
from scheduling.booking.service import BookingResult, create_booking, get_event, list_slots
from scheduling.booking.validation import BookingRequest

__all__ = [
    "BookingError",
    "BookingFilter",
    "BookingNotFound",
    "BookingRequest",
    "BookingResult",
    "BookingRow",
    "EventNotFound",
    "InvalidBooking",
    "InvalidTransition",
    "NotAllowed",
    "SlotTaken",
    "SlotUnavailable",
    "approve_booking",
    "cancel_booking",
    "create_booking",
    "decline_booking",
    "get_event",
    "list_bookings",
    "list_slots",
    "mark_attendance",
    "may_change",
    "reschedule_booking",
    "revoke_token",
    "verify_attendee",
]
