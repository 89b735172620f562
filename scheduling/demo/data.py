"""The generated data set: one list of row dicts (keyed by model attribute) per table."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from scheduling.models import (
    Admin,
    AnalyticsEvent,
    Answer,
    Attendee,
    AvailabilityOverride,
    AvailabilityRule,
    AvailabilitySchedule,
    Base,
    Booking,
    BookingHost,
    BookingTag,
    DemoAnswerTopic,
    Event,
    EventHost,
    Feedback,
    GroupSession,
    Note,
    Organization,
    PrepResource,
    Question,
    Tag,
    Task,
    Team,
    TeamMember,
    TimeOff,
)

Row = dict[str, Any]

# Field name -> model, in foreign-key order: every row only points at rows listed earlier.
MODELS: dict[str, type[Base]] = {
    "organizations": Organization,
    "admins": Admin,
    "teams": Team,
    "team_members": TeamMember,
    "availability_schedules": AvailabilitySchedule,
    "availability_rules": AvailabilityRule,
    "availability_overrides": AvailabilityOverride,
    "time_off": TimeOff,
    "events": Event,
    "event_hosts": EventHost,
    "questions": Question,
    "prep_resources": PrepResource,
    "slots": GroupSession,
    "tags": Tag,
    "bookings": Booking,
    "booking_hosts": BookingHost,
    "attendees": Attendee,
    "answers": Answer,
    "demo_answer_topics": DemoAnswerTopic,
    "booking_tags": BookingTag,
    "tasks": Task,
    "notes": Note,
    "feedback": Feedback,
    "analytics_events": AnalyticsEvent,
}


@dataclass
class DemoData:
    """All rows of the demo organisation, ready for bulk insert or for writing to files."""

    organizations: list[Row] = field(default_factory=list)
    admins: list[Row] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)
    team_members: list[Row] = field(default_factory=list)
    availability_schedules: list[Row] = field(default_factory=list)
    availability_rules: list[Row] = field(default_factory=list)
    availability_overrides: list[Row] = field(default_factory=list)
    time_off: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    event_hosts: list[Row] = field(default_factory=list)
    questions: list[Row] = field(default_factory=list)
    prep_resources: list[Row] = field(default_factory=list)
    slots: list[Row] = field(default_factory=list)
    tags: list[Row] = field(default_factory=list)
    bookings: list[Row] = field(default_factory=list)
    booking_hosts: list[Row] = field(default_factory=list)
    attendees: list[Row] = field(default_factory=list)
    answers: list[Row] = field(default_factory=list)
    demo_answer_topics: list[Row] = field(default_factory=list)
    booking_tags: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)
    feedback: list[Row] = field(default_factory=list)
    analytics_events: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[type[Base], list[Row]]]:
        """(model, rows) for every table, parents before children."""
        return [(MODELS[f.name], getattr(self, f.name)) for f in fields(self)]

    def counts(self) -> dict[str, int]:
        """Number of rows per table name."""
        return {model.__tablename__: len(rows) for model, rows in self.tables()}
