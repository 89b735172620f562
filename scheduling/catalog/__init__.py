"""The event catalogue: event types with their settings, hosts, questions, preparation
resources and group sessions, changed only through these services (permissions and audit
inside); see `events` for who may do what."""

from scheduling.catalog.confirmation import clean_custom_html, web_origin
from scheduling.catalog.content import (
    PrepInput,
    QuestionInput,
    active_questions,
    prep_resources,
    set_prep_resources,
    set_questions,
)
from scheduling.catalog.errors import CatalogError, EventMissing, InvalidEvent
from scheduling.catalog.events import (
    create_event,
    deactivate_event,
    duplicate_event,
    load_event,
    set_event_hosts,
    update_event,
)
from scheduling.catalog.queries import (
    EventDraft,
    EventRow,
    booking_path,
    event_draft,
    host_choices,
    list_events,
    public_url,
    schedule_choices,
)
from scheduling.catalog.rules import DEFAULTS, GROUPS, SETTINGS, slugify
from scheduling.catalog.sessions import (
    SessionRow,
    add_session,
    add_weekly_sessions,
    delete_session,
    list_sessions,
)

__all__ = [
    "DEFAULTS",
    "GROUPS",
    "SETTINGS",
    "CatalogError",
    "EventDraft",
    "EventMissing",
    "EventRow",
    "InvalidEvent",
    "PrepInput",
    "QuestionInput",
    "SessionRow",
    "active_questions",
    "add_session",
    "add_weekly_sessions",
    "booking_path",
    "clean_custom_html",
    "create_event",
    "deactivate_event",
    "delete_session",
    "duplicate_event",
    "event_draft",
    "host_choices",
    "list_events",
    "list_sessions",
    "load_event",
    "prep_resources",
    "public_url",
    "schedule_choices",
    "set_event_hosts",
    "set_prep_resources",
    "set_questions",
    "slugify",
    "update_event",
    "web_origin",
]
