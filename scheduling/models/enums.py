"""Enumerations stored as Postgres enum types."""

from __future__ import annotations

import enum


class MeetingType(enum.StrEnum):
    """How hosts and attendees combine in one meeting (roadmap 1.2)."""

    ONE_ON_ONE = "one_on_one"
    GROUP = "group"
    COLLECTIVE = "collective"
    ROUND_ROBIN = "round_robin"
    PANEL = "panel"


class LocationType(enum.StrEnum):
    """Where a meeting happens."""

    VIDEO = "video"
    PHONE = "phone"
    IN_PERSON = "in_person"
    CUSTOM = "custom"


class BookingStatus(enum.StrEnum):
    """Life cycle of a booking; `pending_approval` blocks its slot like `confirmed`."""

    PENDING_APPROVAL = "pending_approval"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"


class Attendance(enum.StrEnum):
    """Whether the attendee showed up, recorded after the meeting."""

    UNKNOWN = "unknown"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class QuestionType(enum.StrEnum):
    """Kinds of custom question on a booking form."""

    TEXT = "text"
    TEXTAREA = "textarea"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    NUMBER = "number"
    EMAIL = "email"
    PHONE = "phone"


class TemplateKind(enum.StrEnum):
    """Messages the platform sends, each with an editable template."""

    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    CANCELLATION = "cancellation"
    RESCHEDULE = "reschedule"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVED = "approved"
    DECLINED = "declined"
    REASSIGNED = "reassigned"  # the booking now has another host; the time is unchanged

    @property
    def label(self) -> str:
        """How people read the kind: "Approval requested" for approval_requested."""
        return self.value.replace("_", " ").capitalize()


class TeamRole(enum.StrEnum):
    """A member's role inside one team (roadmap 2.2)."""

    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class ConfirmationPage(enum.StrEnum):
    """What follows a booking (roadmap 4.5)."""

    DEFAULT = "default"
    REDIRECT = "redirect"
    CUSTOM = "custom"
