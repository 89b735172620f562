"""Bookings: create, reschedule, cancel, approve, decline and reassign, each in one
transaction; what staff attach to them (tags, notes, tasks) and how they read them."""

from scheduling.booking.admin import (
    BookingFilter,
    BookingRow,
    FilterChoices,
    filter_choices,
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
from scheduling.booking.detail import BookingDetail, booking_detail
from scheduling.booking.engagement import (
    add_note,
    add_tag,
    complete_task,
    create_task,
    delete_note,
    delete_task,
    remove_tag,
)
from scheduling.booking.errors import (
    BookingError,
    BookingNotFound,
    EventNotFound,
    HostUnavailable,
    InvalidBooking,
    InvalidTransition,
    NotAllowed,
    SlotTaken,
    SlotUnavailable,
)
from scheduling.booking.reassign import possible_new_hosts, reassign_booking
from scheduling.booking.service import BookingResult, create_booking, list_slots
from scheduling.booking.setup import get_event
from scheduling.booking.validation import BookingRequest

__all__ = [
    "BookingDetail",
    "BookingError",
    "BookingFilter",
    "BookingNotFound",
    "BookingRequest",
    "BookingResult",
    "BookingRow",
    "EventNotFound",
    "FilterChoices",
    "HostUnavailable",
    "InvalidBooking",
    "InvalidTransition",
    "NotAllowed",
    "SlotTaken",
    "SlotUnavailable",
    "add_note",
    "add_tag",
    "approve_booking",
    "booking_detail",
    "cancel_booking",
    "complete_task",
    "create_booking",
    "create_task",
    "decline_booking",
    "delete_note",
    "delete_task",
    "filter_choices",
    "get_event",
    "list_bookings",
    "list_slots",
    "mark_attendance",
    "may_change",
    "possible_new_hosts",
    "reassign_booking",
    "remove_tag",
    "reschedule_booking",
    "revoke_token",
    "verify_attendee",
]
