"""SQLAlchemy 2.0 typed models, one module per aggregate; every tenant table leads with org_id."""

from scheduling.models.access import AuditLog, ConsoleSession, Role
from scheduling.models.analytics import (
    AnalyticsEvent,
    DemoAnswerTopic,
    OutboxMessage,
    TopicCluster,
)
from scheduling.models.availability import (
    AvailabilityOverride,
    AvailabilityRule,
    AvailabilitySchedule,
    TimeOff,
)
from scheduling.models.base import Base
from scheduling.models.booking import (
    Answer,
    Attendee,
    Booking,
    BookingHost,
    BookingSeries,
    GroupSession,
    HostOccupancy,
)
from scheduling.models.engagement import BookingTag, Feedback, Note, Tag, Task
from scheduling.models.enums import (
    Attendance,
    BookingStatus,
    ConfirmationPage,
    LocationType,
    MeetingType,
    QuestionType,
    TeamRole,
    TemplateKind,
)
from scheduling.models.event import Event, EventHost, PrepResource, Question
from scheduling.models.messaging import EmailTemplate
from scheduling.models.organization import ConfigVersion, Organization
from scheduling.models.people import Admin, Team, TeamMember
from scheduling.models.public import RateLimitCounter

__all__ = [
    "Admin",
    "AnalyticsEvent",
    "Answer",
    "Attendance",
    "Attendee",
    "AuditLog",
    "AvailabilityOverride",
    "AvailabilityRule",
    "AvailabilitySchedule",
    "Base",
    "Booking",
    "BookingHost",
    "BookingSeries",
    "BookingStatus",
    "BookingTag",
    "ConfigVersion",
    "ConfirmationPage",
    "ConsoleSession",
    "DemoAnswerTopic",
    "EmailTemplate",
    "Event",
    "EventHost",
    "Feedback",
    "GroupSession",
    "HostOccupancy",
    "LocationType",
    "MeetingType",
    "Note",
    "Organization",
    "OutboxMessage",
    "PrepResource",
    "Question",
    "QuestionType",
    "RateLimitCounter",
    "Role",
    "Tag",
    "Task",
    "Team",
    "TeamMember",
    "TeamRole",
    "TemplateKind",
    "TimeOff",
    "TopicCluster",
]
