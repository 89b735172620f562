"""Guest rules: whether an attendee may bring guests and how many seats a booking takes."""

from __future__ import annotations

from .errors import GuestsNotAllowed, InvalidInput, TooManyGuests
from .models import EventSpec


def check_guests(event: EventSpec, n_guests: int) -> int:
    """Validate a guest count against the event's rules; return seats needed (attendee + guests)."""
    if isinstance(n_guests, bool) or not isinstance(n_guests, int) or n_guests < 0:
        raise InvalidInput("The number of guests must be a whole number >= 0.", field="guests")
    if n_guests == 0:
        return 1
    if not event.allow_guests:
        raise GuestsNotAllowed()
    if event.guest_limit is not None and n_guests > event.guest_limit:
        raise TooManyGuests(int(event.guest_limit), n_guests)
    return 1 + n_guests
