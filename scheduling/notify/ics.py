"""RFC 5545 calendar files (via the `icalendar` library) for booking messages.

One UID for the life of a booking (kept across reschedules); SEQUENCE rises with each change,
so calendar clients replace the event instead of adding a second one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from icalendar import Calendar, Event, vCalAddress, vText

from scheduling.notify.view import BookingView, Person

PRODID = "-//LiveSchool Scheduling//EN"


class Method(StrEnum):
    """iTIP methods we send."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def _address(person: Person, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    if role:
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText("NEEDS-ACTION" if role != "CHAIR" else "ACCEPTED")
        address.params["RSVP"] = vText("FALSE")
    return address


def build_calendar(view: BookingView, method: Method, stamp: datetime) -> bytes:
    """The calendar file for `view`; `stamp` is DTSTAMP (passed in: no hidden clock)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method.value)
    event = Event()
    event.add("uid", view.ical_uid)
    event.add("sequence", view.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", view.start)
    event.add("dtend", view.end)
    event.add("summary", view.event_title)
    event.add("description", _description(view))
    if view.where:
        event.add("location", view.where)
    if view.manage_url:
        event.add("url", view.manage_url)
    event.add("status", _status(view, method))
    organizer = view.hosts[0] if view.hosts else view.attendee
    event.add("organizer", _address(organizer))
    for host in view.hosts:
        event.add("attendee", _address(host, "CHAIR" if host == organizer else "REQ-PARTICIPANT"))
    for person in (view.attendee, *view.guests):
        event.add("attendee", _address(person, "REQ-PARTICIPANT"))
    cal.add_component(event)
    return bytes(cal.to_ical())


def _status(view: BookingView, method: Method) -> str:
    if method is Method.CANCEL:
        return "CANCELLED"
    return "TENTATIVE" if view.status == "pending_approval" else "CONFIRMED"


def _description(view: BookingView) -> str:
    lines = [view.event_description] if view.event_description else []
    if view.video_link:
        lines.append(f"Join: {view.video_link}")
    if view.manage_url:
        lines.append(f"Reschedule or cancel: {view.manage_url}")
    return "\n\n".join(lines)
