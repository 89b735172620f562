"""Message templates: shipped defaults, admin overrides, rendered in a Jinja sandbox.

Templates are plain text; `is_host` tells whether the reader hosts the meeting, so one
template serves both sides. Admin-written templates cannot reach Python objects (sandbox)
and unknown variables are reported by `check_template` before they are saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, Undefined, meta
from jinja2.sandbox import SandboxedEnvironment

from scheduling.models.enums import TemplateKind


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    """Subject and body source of one kind of message."""

    subject: str
    body: str


_SIGNATURE = """
{% if manage_url and not is_host %}Need to change something? Reschedule or cancel here:
{{ manage_url }}
{% endif %}
-- {{ organization }}"""

_DETAILS = """
What:  {{ event_title }}
When:  {{ when }}
{% if is_host %}Who:   {{ attendee_name }} <{{ attendee_email }}>{% if guests %}, guests: {{ guests }}{% endif %}
{% else %}With:  {{ hosts }}
{% endif %}{% if where %}Where: {{ where }}
{% endif %}"""  # noqa: E501

DEFAULT_TEMPLATES: dict[TemplateKind, MessageTemplate] = {
    TemplateKind.CONFIRMATION: MessageTemplate(
        "{% if is_host %}New booking: {{ attendee_name }}{% else %}Confirmed: {{ event_title }}"
        "{% endif %} on {{ short_when }}",
        "Hi {{ recipient_name }},\n\n"
        "{% if is_host %}{{ attendee_name }} booked time with you.{% else %}"
        "You're booked. The calendar invitation is attached.{% endif %}\n"
        + _DETAILS
        + "{% if answers %}\nAnswers:\n{% for q, a in answers %}- {{ q }}: {{ a }}\n"
        "{% endfor %}{% endif %}"
        "{% if prep_resources and not is_host %}\nBefore we meet:\n"
        "{% for title, url in prep_resources %}- {{ title }}{% if url %}: {{ url }}{% endif %}\n"
        "{% endfor %}{% endif %}"
        "\nAdd to Google Calendar: {{ google_calendar_url }}\n"
        "Add to Outlook: {{ outlook_calendar_url }}\n" + _SIGNATURE,
    ),
    TemplateKind.REMINDER: MessageTemplate(
        "Reminder: {{ event_title }} {{ starts_in }}",
        "Hi {{ recipient_name }},\n\nA reminder that {{ event_title }} starts {{ starts_in }}.\n"
        + _DETAILS
        + _SIGNATURE,
    ),
    TemplateKind.CANCELLATION: MessageTemplate(
        "Cancelled: {{ event_title }} on {{ short_when }}",
        "Hi {{ recipient_name }},\n\n{{ event_title }} on {{ when }} has been cancelled"
        "{% if cancelled_by %} by {{ cancelled_by }}{% endif %}.\n"
        "{% if reason %}Reason: {{ reason }}\n{% endif %}"
        "{% if booking_page_url and not is_host %}\nBook another time: {{ booking_page_url }}\n"
        "{% endif %}\n-- {{ organization }}",
    ),
    TemplateKind.RESCHEDULE: MessageTemplate(
        "Rescheduled: {{ event_title }} is now {{ short_when }}",
        "Hi {{ recipient_name }},\n\n{{ event_title }} has moved.\n\n"
        "Was:  {{ previous_when }}\nNow:  {{ when }}\n"
        "{% if where %}Where: {{ where }}\n{% endif %}"
        "\nThe updated calendar invitation is attached.\n" + _SIGNATURE,
    ),
    TemplateKind.APPROVAL_REQUESTED: MessageTemplate(
        "{% if is_host %}Approval needed: {{ attendee_name }}{% else %}Requested: "
        "{{ event_title }}{% endif %} on {{ short_when }}",
        "Hi {{ recipient_name }},\n\n"
        "{% if is_host %}{{ attendee_name }} asked to book {{ event_title }}. Approve or decline "
        "it in the console.{% else %}Thanks for your request. The time is held for you; you will "
        "hear from us once it is approved.{% endif %}\n" + _DETAILS + _SIGNATURE,
    ),
    TemplateKind.APPROVED: MessageTemplate(
        "Approved: {{ event_title }} on {{ short_when }}",
        "Hi {{ recipient_name }},\n\nYour request was approved; the calendar invitation is "
        "attached.\n" + _DETAILS + _SIGNATURE,
    ),
    TemplateKind.DECLINED: MessageTemplate(
        "Declined: {{ event_title }} on {{ short_when }}",
        "Hi {{ recipient_name }},\n\nSorry: your request for {{ event_title }} on {{ when }} "
        "was declined.\n{% if reason %}Reason: {{ reason }}\n{% endif %}"
        "{% if booking_page_url %}\nYou can pick another time: {{ booking_page_url }}\n"
        "{% endif %}\n-- {{ organization }}",
    ),
    TemplateKind.REASSIGNED: MessageTemplate(
        "{% if handed_over %}Handed over: {{ attendee_name }} on {{ short_when }}"
        "{% elif is_host %}Assigned to you: {{ attendee_name }} on {{ short_when }}"
        "{% else %}New host for {{ event_title }} on {{ short_when }}{% endif %}",
        "Hi {{ recipient_name }},\n\n"
        "{% if handed_over %}{{ event_title }} with {{ attendee_name }} is now hosted by "
        "{{ hosts }}; it has been taken off your calendar.{% elif is_host %}{{ attendee_name }}'s "
        "booking of {{ event_title }} has been handed to you.{% else %}Your meeting is now with "
        "{{ hosts }}; the time is unchanged. The updated calendar invitation is attached."
        "{% endif %}\n" + _DETAILS + _SIGNATURE,
    ),
}

# What each variable holds, shown to admins in the console. The names are those
# compose.context_for builds (a test keeps the two equal); editing.template_variables
# tells which of them carry a value in each kind of message.
VARIABLES: dict[str, str] = {
    "recipient_name": "Name of the person reading the message",
    "is_host": "True when the reader hosts the meeting",
    "organization": "Your organisation's name",
    "event_title": "Title of the event",
    "when": "Date, time, zone and UTC offset in the reader's zone",
    "short_when": "Short date and time in the reader's zone",
    "starts_in": "'in 24 hours', 'in 1 hour' (reminders)",
    "previous_when": "The old time, for reschedules",
    "hosts": "Host names",
    "attendee_name": "Name of the attendee",
    "attendee_email": "Email of the attendee",
    "guests": "Guests' emails",
    "where": "Video link or location",
    "answers": "List of (question, answer) pairs",
    "prep_resources": "List of (title, url) pairs",
    "manage_url": "Attendee's link to reschedule or cancel",
    "booking_page_url": "The event's public booking page",
    "google_calendar_url": "Add-to-Google-Calendar link",
    "outlook_calendar_url": "Add-to-Outlook link",
    "reason": "Reason given for a cancellation or decline",
    "cancelled_by": "Who cancelled",
    "handed_over": "True when the reader hosted the meeting until it was handed to someone else",
}

_env = SandboxedEnvironment(autoescape=False, undefined=Undefined, keep_trailing_newline=True)
_strict_env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


class TemplateProblem(ValueError):
    """An admin-written template that does not parse or uses unknown variables."""


def render(template: MessageTemplate, context: dict[str, Any]) -> tuple[str, str]:
    """Render subject (one line) and body."""
    subject = _env.from_string(template.subject).render(context)
    body = _env.from_string(template.body).render(context)
    return " ".join(subject.split()), body


def template_problems(
    template: MessageTemplate, contexts: Iterable[dict[str, Any]]
) -> dict[str, str]:
    """Why each part ("subject", "body") of `template` cannot be saved, if it cannot.

    A part must parse, name only variables the contexts define (anywhere, including
    branches a given reader never takes), and render under each context without error.
    """
    contexts = list(contexts)
    known = set().union(*(c.keys() for c in contexts))
    problems: dict[str, str] = {}
    for part, source in (("subject", template.subject), ("body", template.body)):
        try:
            unknown = sorted(meta.find_undeclared_variables(_strict_env.parse(source)) - known)
            if unknown:
                names = ", ".join(repr(name) for name in unknown)
                verb = "is" if len(unknown) == 1 else "are"
                problems[part] = f"The {part} has a problem: {names} {verb} undefined."
                continue
            compiled = _strict_env.from_string(source)
            for context in contexts:
                compiled.render(context)
        except TemplateSyntaxError as exc:
            problems[part] = f"The {part} has a problem on line {exc.lineno}: {exc.message}"
        except TemplateError as exc:
            problems[part] = f"The {part} has a problem: {exc.message}"
    return problems


def check_template(template: MessageTemplate) -> None:
    """Raise TemplateProblem unless `template` renders with the documented variables only."""
    sample: dict[str, Any] = {name: "x" for name in VARIABLES}
    sample |= {"answers": [], "prep_resources": []}
    problems = template_problems(
        template, [sample | {"is_host": True}, sample | {"is_host": False}]
    )
    if problems:
        raise TemplateProblem(next(iter(problems.values())))
