"""Bookings while they are being generated, before they become rows."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scheduling.demo.audience import Channel
from scheduling.demo.events import Event, Session
from scheduling.demo.people import Person
from scheduling.demo.placement import Slot
from scheduling.models.enums import Attendance, BookingStatus


@dataclass(frozen=True)
class Attribution:
    """Where the visit that led to a booking came from (copied onto the booking)."""

    channel: Channel
    utm_source: str | None
    utm_medium: str | None
    utm_campaign: str | None
    referrer: str | None

    @classmethod
    def draw(cls, rng: random.Random, channel: Channel, at: datetime) -> Attribution:
        """Tags of a visit from `channel` at `at` (newsletter campaigns are named by month)."""
        source, referrer = rng.choice(channel.sources)
        campaign = rng.choice(channel.campaigns)
        if campaign is not None:
            campaign = campaign.format(month=at.strftime("%Y-%m"))
        return cls(channel, source, channel.medium, campaign, referrer)


@dataclass(frozen=True)
class AnswerDraft:
    """An answer to one question; `topic` is the true topic of a free-text discussion answer."""

    question_id: uuid.UUID
    value: Any
    topic: str | None = None


@dataclass
class Draft:
    """One booking with its attendee, guests, answers, attribution and life cycle so far."""

    id: uuid.UUID
    event: Event
    slot: Slot
    person: Person
    guests: tuple[Person, ...]
    attribution: Attribution
    created_at: datetime
    answers: tuple[AnswerDraft, ...]
    session: Session | None = None
    status: BookingStatus = BookingStatus.CONFIRMED
    attendance: Attendance = Attendance.UNKNOWN
    updated_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancellation_reason: str | None = None
    rescheduled_from: Draft | None = None
    rescheduled_to: Draft | None = None

    @property
    def starts_at(self) -> datetime:
        """Start of the meeting."""
        return self.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        """End of the meeting."""
        return self.slot.ends_at

    @property
    def topic(self) -> str | None:
        """The topic the attendee wrote about, if the event asks."""
        return next((a.topic for a in self.answers if a.topic), None)

    @property
    def changed_at(self) -> datetime:
        """Last change: `updated_at` once set, else creation."""
        return self.updated_at or self.created_at
