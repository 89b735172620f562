"""A booking as messages see it: plain values, loaded once, rendered many times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a message is about or addressed to."""

    name: str
    email: str
    timezone: str


@dataclass(frozen=True, slots=True)
class BookingView:
    """Everything a message or calendar file says about one booking."""

    booking_id: str
    ical_uid: str
    sequence: int
    status: str
    organization: str
    event_title: str
    event_description: str
    duration_minutes: int
    start: datetime
    end: datetime
    location: str
    video_link: str
    hosts: tuple[Person, ...]
    attendee: Person
    guests: tuple[Person, ...] = ()
    answers: tuple[tuple[str, str], ...] = ()
    prep_resources: tuple[tuple[str, str], ...] = ()
    manage_url: str = ""
    cancellation_reason: str = ""
    previous_start: datetime | None = None
    previous_end: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """The video link if any, else the location."""
        return self.video_link or self.location
