"""One message for one reader: rendered template, HTML alternative, calendar file attached."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import escape

from scheduling.models.enums import TemplateKind
from scheduling.notify.ics import Method, build_calendar
from scheduling.notify.links import google_calendar_url, outlook_calendar_url
from scheduling.notify.templates import MessageTemplate, render
from scheduling.notify.timefmt import format_range
from scheduling.notify.view import BookingView, Person

CANCELLING = {TemplateKind.CANCELLATION, TemplateKind.DECLINED}
_URL = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True, slots=True)
class Reader:
    """Who a message is for, and on which side of the meeting they are."""

    person: Person
    is_host: bool


def context_for(
    kind: TemplateKind, view: BookingView, reader: Reader, booking_page_url: str = ""
) -> dict[str, Any]:
    """The template variables (see templates.VARIABLES) for `reader`."""
    zone = reader.person.timezone
    local = view.start.astimezone(ZoneInfo(zone))
    details = view.event_description or view.event_title
    previous = (
        format_range(view.previous_start, view.previous_end, zone)
        if view.previous_start and view.previous_end
        else ""
    )
    return {
        "recipient_name": reader.person.name,
        "is_host": reader.is_host,
        "organization": view.organization,
        "event_title": view.event_title,
        "when": format_range(view.start, view.end, zone),
        "short_when": f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({zone})",
        "starts_in": view.extra.get("starts_in", ""),
        "previous_when": previous,
        "hosts": ", ".join(h.name for h in view.hosts),
        "attendee_name": view.attendee.name,
        "attendee_email": view.attendee.email,
        "guests": ", ".join(g.email for g in view.guests),
        "where": view.where,
        "answers": list(view.answers),
        "prep_resources": list(view.prep_resources),
        "manage_url": view.manage_url,
        "booking_page_url": booking_page_url,
        "google_calendar_url": google_calendar_url(
            view.event_title, view.start, view.end, details, view.where
        ),
        "outlook_calendar_url": outlook_calendar_url(
            view.event_title, view.start, view.end, details, view.where
        ),
        "reason": view.cancellation_reason,
        "cancelled_by": view.extra.get("cancelled_by", ""),
        "handed_over": handed_over(view, reader),
    }


def handed_over(view: BookingView, reader: Reader) -> bool:
    """Whether `reader` hosted this booking until it was reassigned to someone else."""
    return reader.is_host and reader.person.email not in {h.email for h in view.hosts}


def to_html(text: str) -> str:
    """Plain text as simple HTML: escaped, links clickable, line breaks kept."""
    escaped = str(escape(text))
    linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return (
        '<html><body><pre style="font-family:sans-serif;white-space:pre-wrap">'
        f"{linked}</pre></body></html>"
    )


def compose(
    kind: TemplateKind,
    view: BookingView,
    reader: Reader,
    template: MessageTemplate,
    *,
    sender: str,
    now: datetime,
    booking_page_url: str = "",
) -> EmailMessage:
    """The complete message for `reader`, with the booking's calendar file attached."""
    if reader.is_host:  # the attendee's self-service link is theirs alone
        view = dataclasses.replace(view, manage_url="")
    subject, body = render(template, context_for(kind, view, reader, booking_page_url))
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=reader.person.name, addr_spec=reader.person.email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="liveschool.localhost")
    message["X-LiveSchool-Booking"] = view.booking_id
    message["X-LiveSchool-Kind"] = kind.value
    message.set_content(body)
    message.add_alternative(to_html(body), subtype="html")
    # A former host's calendar drops the meeting; everyone else's is updated.
    cancels = kind in CANCELLING or handed_over(view, reader)
    method = Method.CANCEL if cancels else Method.REQUEST
    message.add_attachment(
        build_calendar(view, method, now),
        maintype="text",
        subtype="calendar",
        filename="invite.ics",
        params={"method": method.value, "charset": "utf-8"},
    )
    return message
