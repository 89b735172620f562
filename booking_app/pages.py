"""Public pages (server-rendered): event list, booking page, confirmation, manage booking.

Every page works without JavaScript: the calendar, the time grid and the zone selector are
links and GET forms. `static/booking.js` only enhances them (zone detection, fetching the
calendar part of a page as a fragment with `?partial=1`, filtering zones). Booking rules
live in `scheduling.booking`; these views read the request, call the services and render.
"""

from __future__ import annotations

import calendar
import functools
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, available_timezones

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from booking_app import CONTENT_SECURITY_POLICY
from booking_app.api import slots_cache
from booking_app.context import booking_unit, event_setup, now, org_id, unit_of_work
from booking_app.tracking import track, utm
from scheduling.availability import Slot
from scheduling.booking import (
    BookingError,
    BookingRequest,
    EventNotFound,
    InvalidBooking,
    InvalidTransition,
    NotAllowed,
    SlotTaken,
    SlotUnavailable,
    cancel_booking,
    create_booking,
    get_event,
    list_slots,
    reschedule_booking,
    verify_attendee,
)
from scheduling.booking.inputs import event_hosts
from scheduling.booking.queries import (
    EventDetails,
    booking_host_names,
    event_details,
    host_by_slug,
    latest_in_chain,
    local_days,
    public_events,
    slots_by_day,
)
from scheduling.booking.service import secret_key
from scheduling.booking.tokens import manage_token
from scheduling.booking.validation import valid_timezone
from scheduling.catalog.confirmation import clean_custom_html, web_origin
from scheduling.models import (
    Admin,
    Attendee,
    Booking,
    BookingStatus,
    ConfirmationPage,
    Event,
    LocationType,
    MeetingType,
    Organization,
    PrepResource,
    QuestionType,
)
from scheduling.notify.ics import Method, build_calendar
from scheduling.notify.links import google_calendar_url, outlook_calendar_url
from scheduling.notify.loader import load_view
from scheduling.notify.timefmt import format_range, utc_offset_label, zone_label

bp = Blueprint("pages", __name__)

TAKEN_MESSAGE = "Sorry, that time was just taken. Please pick another time."
GONE_MESSAGE = "That time is no longer available. Please pick another time."
NOTICES = {
    "rescheduled": "Your booking has been moved to the new time. We have emailed you the details.",
    "cancelled": "Your booking has been cancelled. We have let the host know.",
}
MEETING_TYPES = {
    MeetingType.ONE_ON_ONE: "One-on-one",
    MeetingType.GROUP: "Group session",
    MeetingType.COLLECTIVE: "With all hosts",
    MeetingType.ROUND_ROBIN: "With one of the hosts",
    MeetingType.PANEL: "Panel",
}
LOCATIONS = {
    LocationType.VIDEO: "Video call",
    LocationType.PHONE: "Phone call",
    LocationType.IN_PERSON: "In person",
    LocationType.CUSTOM: "See details",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
LIVE = (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL)
UNLIMITED_WINDOW_DAYS = 365
KEY_PATTERN = re.compile(r"^page:[A-Za-z0-9_-]{16,64}$")
# ---------------------------------------------------------------------------------------------
# Small formatting helpers
# ---------------------------------------------------------------------------------------------


def day_label(day: date) -> str:
    """`Tuesday 1 December`."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def month_label(month: date) -> str:
    """`December 2026`."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def add_months(month: date, n: int) -> date:
    """The first day of the month `n` months after `month`."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def duration_label(minutes: int) -> str:
    """`30 min`, `1 h`, `1 h 30 min`."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h" + (f" {mins} min" if mins else "")


@bp.app_template_filter("initials")
def initials(name: str) -> str:
    """`AH` for `Ada Host`."""
    return "".join(part[0] for part in name.split()[:2]).upper() or "?"


def parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


def parse_month(raw: str | None) -> date | None:
    try:
        return datetime.strptime(raw or "", "%Y-%m").date()
    except ValueError:
        return None


def parse_time(raw: str | None, zone: str) -> datetime | None:
    """An ISO start time from a link or form (a `+` may arrive as a space)."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def zone_choices(moment: datetime, current: str) -> list[tuple[str, str]]:
    """Every IANA zone with its UTC offset at `moment` (to the hour), by name: (value, label)."""
    choices = _zone_choices(moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0))
    if current not in {value for value, _ in choices}:
        offset = utc_offset_label(moment.astimezone(ZoneInfo(current)).utcoffset())
        choices = sorted([*choices, (current, f"{current} ({offset})")])
    return choices


@functools.lru_cache(maxsize=4)
def _zone_choices(hour: datetime) -> list[tuple[str, str]]:
    names = {z for z in available_timezones() if "/" in z and not z.startswith("Etc/")} | {"UTC"}
    return [
        (name, f"{name} ({utc_offset_label(hour.astimezone(ZoneInfo(name)).utcoffset())})")
        for name in sorted(names)
    ]


def policy_with(extra: Mapping[str, list[str]]) -> str:
    """The app's Content-Security-Policy with sources added to some directives."""
    directives: list[list[str]] = [d.split() for d in CONTENT_SECURITY_POLICY.split(";") if d]
    for directive in directives:
        directive.extend(extra.get(directive[0], []))
    return "; ".join(" ".join(d) for d in directives)


def with_params(url: str, params: Mapping[str, str]) -> str:
    """`url` with `params` added to (or replacing) its query parameters."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*query, *params.items()])))


def no_store(response: Response) -> Response:
    """Headers for pages that carry a booking token: never cached, never sent on."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# ---------------------------------------------------------------------------------------------
# The calendar: month view, week view, day grid
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nav:
    """Builds links back to the same page (booking page or manage page) with new parameters."""

    endpoint: str
    base: dict[str, str]
    zone: str | None  # carried in links only when the visitor chose it

    def url(self, **params: Any) -> str:
        values: dict[str, Any] = dict(self.base)
        if self.zone:
            values["timezone"] = self.zone
        values.update({k: v for k, v in params.items() if v is not None})
        return url_for(self.endpoint, **values)

    def action(self) -> str:
        """The page's path, for the zone form (`token` goes in a hidden field)."""
        values: dict[str, Any] = {k: v for k, v in self.base.items() if k != "token"}
        return url_for(self.endpoint, **values)


@dataclass(frozen=True)
class TimeLink:
    """One offered time as the attendee sees it."""

    start: datetime
    end: datetime
    label: str
    url: str
    seats: int


@dataclass(frozen=True)
class DayCell:
    """One cell of the month grid."""

    day: date | None
    label: str = ""
    url: str | None = None
    selected: bool = False
    today: bool = False


@dataclass
class Picker:
    """Everything the calendar fragment (`_picker.html`) shows."""

    zone: str
    zone_text: str
    locked: bool
    auto_zone: bool
    zone_choices: list[tuple[str, str]]
    form_action: str
    form_hidden: dict[str, str]
    view: str
    month: date
    month_title: str
    weeks: list[list[DayCell]]
    prev_url: str | None
    next_url: str | None
    month_url: str
    week_url: str
    selected: date | None
    selected_title: str
    times: list[TimeLink]
    week_title: str = ""
    week_days: list[tuple[date, str, list[TimeLink]]] = field(default_factory=list)
    message: str | None = None
    status_text: str = ""
    available_days: int = 0


def slots_between(
    session: Session, event: Event, lo: date, hi: date, zone: str, moment: datetime
) -> dict[date, list[Slot]]:
    """Bookable slots on local days lo..hi (inclusive) in `zone`, by day."""
    if hi < lo:
        return {}
    start, end = local_days(lo, hi, zone)
    return slots_by_day(list_slots(session, event, start, end, now=moment), zone)


def window_end(event: Event, moment: datetime, zone: str) -> date:
    """The last local day in `zone` that the booking window reaches (as the engine counts it:
    up to midnight after the Nth day after today in the event's zone; a year if unlimited)."""
    days = event.booking_window_days or UNLIMITED_WINDOW_DAYS
    display = ZoneInfo(event.display_timezone)
    last = moment.astimezone(display).date() + timedelta(days=days)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=display)
    return (end - timedelta(microseconds=1)).astimezone(ZoneInfo(zone)).date()


def time_links(slots: list[Slot], zone: str, nav: Nav) -> list[TimeLink]:
    tz = ZoneInfo(zone)
    links = []
    for slot in slots:
        start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
        url = nav.url(date=start.date().isoformat(), time=start.isoformat())
        links.append(TimeLink(start, end, f"{start:%H:%M}", url, slot.seats_remaining))
    return links


def offered_slot(
    session: Session, event: Event, start: datetime, zone: str, moment: datetime
) -> Slot | None:
    """The slot starting at `start`, if it is offered right now."""
    day = start.astimezone(ZoneInfo(zone)).date()
    slots = slots_between(session, event, day, day, zone, moment).get(day, [])
    return next((s for s in slots if s.start == start), None)


def build_picker(
    session: Session,
    event: Event,
    *,
    zone: str,
    nav: Nav,
    args: Mapping[str, str],
    locked: bool,
    auto_zone: bool,
    message: str | None = None,
) -> Picker:
    """The month (or week) view and the chosen day's times, computed on the server."""
    moment = now()
    tz = ZoneInfo(zone)
    today = moment.astimezone(tz).date()
    last_day = window_end(event, moment, zone)
    first_month, last_month = today.replace(day=1), last_day.replace(day=1)
    selected = parse_date(args.get("date"))
    if selected is not None and not today <= selected <= last_day:
        selected = None
    view = "week" if args.get("view") == "week" else "month"

    month = parse_month(args.get("month"))
    if month is not None:
        month = min(max(month, first_month), last_month)
    elif selected is not None:
        month = selected.replace(day=1)
    by_day: dict[date, list[Slot]] = {}
    if month is None:  # jump to the first month with a bookable day
        month = first_month
        while True:
            by_day = _month_slots(session, event, month, today, last_day, zone, moment)
            if by_day or month >= last_month:
                break
            month = add_months(month, 1)
        if not by_day:
            month = first_month
    else:
        by_day = _month_slots(session, event, month, today, last_day, zone, moment)

    def cell(day: date) -> DayCell:
        if day.month != month.month:
            return DayCell(None)
        available = bool(by_day.get(day))
        label = f"{day_label(day)}, " + ("times available" if available else "no times")
        url = nav.url(month=f"{month:%Y-%m}", date=day.isoformat()) if available else None
        return DayCell(day, label, url, day == selected, day == today)

    weeks = [
        [cell(d) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    if selected is not None and selected.replace(day=1) == month:
        day_slots = by_day.get(selected, [])
    elif selected is not None:
        day_slots = slots_between(session, event, selected, selected, zone, moment).get(
            selected, []
        )
    else:
        day_slots = []
    times = time_links(day_slots, zone, nav)
    prev_month, next_month = add_months(month, -1), add_months(month, 1)
    picker = Picker(
        zone=zone,
        zone_text=zone_label(moment, zone),
        locked=locked,
        auto_zone=auto_zone,
        zone_choices=[] if locked else zone_choices(moment, zone),
        form_action=nav.action(),
        form_hidden={
            k: v
            for k, v in {
                "token": nav.base.get("token"),
                "view": args.get("view"),
                "month": args.get("month"),
                "date": selected.isoformat() if selected else None,
                "week": args.get("week"),
            }.items()
            if v
        },
        view=view,
        month=month,
        month_title=month_label(month),
        weeks=weeks,
        prev_url=nav.url(month=f"{prev_month:%Y-%m}") if month > first_month else None,
        next_url=nav.url(month=f"{next_month:%Y-%m}") if month < last_month else None,
        month_url=nav.url(month=f"{month:%Y-%m}", date=selected.isoformat() if selected else None),
        week_url="",
        selected=selected,
        selected_title=day_label(selected) if selected else "",
        times=times,
        message=message,
        available_days=sum(1 for d in by_day if d.month == month.month and by_day[d]),
    )
    first_open = min((d for d in by_day if by_day[d]), default=None)
    anchor = parse_date(args.get("week")) or selected or first_open or today
    week_start = _week_start(anchor, today, last_day)
    picker.week_url = nav.url(view="week", week=week_start.isoformat())
    if view == "week":
        _fill_week(session, event, picker, nav, week_start, today, last_day, moment)
    picker.status_text = _status_text(picker)
    return picker


def _month_slots(
    session: Session,
    event: Event,
    month: date,
    today: date,
    last_day: date,
    zone: str,
    moment: datetime,
) -> dict[date, list[Slot]]:
    lo = max(month, today)
    hi = min(add_months(month, 1) - timedelta(days=1), last_day)
    return slots_between(session, event, lo, hi, zone, moment)


def _week_start(anchor: date, today: date, last_day: date) -> date:
    monday = anchor - timedelta(days=anchor.weekday())
    first = today - timedelta(days=today.weekday())
    last = last_day - timedelta(days=last_day.weekday())
    return min(max(monday, first), last)


def _fill_week(
    session: Session,
    event: Event,
    picker: Picker,
    nav: Nav,
    week_start: date,
    today: date,
    last_day: date,
    moment: datetime,
) -> None:
    week_end = week_start + timedelta(days=6)
    by_day = slots_between(
        session, event, max(week_start, today), min(week_end, last_day), picker.zone, moment
    )
    picker.week_days = [
        (
            day,
            f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}",
            time_links(by_day.get(day, []), picker.zone, nav),
        )
        for day in (week_start + timedelta(days=i) for i in range(7))
    ]
    start_text = f"{week_start.day} {MONTHS[week_start.month - 1][:3]}"
    picker.week_title = (
        f"{start_text} \u2013 {week_end.day} {MONTHS[week_end.month - 1][:3]} {week_end.year}"
    )
    first = today - timedelta(days=today.weekday())
    prev_week, next_week = week_start - timedelta(days=7), week_start + timedelta(days=7)
    picker.prev_url = (
        nav.url(view="week", week=prev_week.isoformat()) if week_start > first else None
    )
    picker.next_url = (
        nav.url(view="week", week=next_week.isoformat()) if next_week <= last_day else None
    )
    picker.month_url = nav.url(month=f"{week_start:%Y-%m}")


def _status_text(picker: Picker) -> str:
    """What the live region announces once this calendar has loaded."""
    if picker.view == "week":
        count = sum(len(times) for _, _, times in picker.week_days)
        return f"{count} times available in the week of {picker.week_title}."
    if picker.selected is not None:
        n = len(picker.times)
        if not n:
            return f"No times available on {picker.selected_title}."
        return f"{n} time{'s' if n != 1 else ''} available on {picker.selected_title}."
    return f"{picker.month_title}: {picker.available_days} days with available times."


# ---------------------------------------------------------------------------------------------
# Shared loading
# ---------------------------------------------------------------------------------------------


def org_name(session: Session) -> str:
    org = session.scalars(select(Organization)).first()
    return org.name if org else "LiveSchool"


def event_or_404(session: Session, slug: str) -> Event:
    try:
        return get_event(session, slug=slug)
    except EventNotFound:
        abort(404, description="We could not find that event. It may have been removed.")


def resolve_zone(
    event: Event, requested: str | None, fallback: str
) -> tuple[str, bool, str | None]:
    """(zone, chosen explicitly, problem): the event's zone when locked, else the request's."""
    if event.lock_timezone:
        return event.display_timezone, False, None
    if requested:
        if valid_timezone(requested):
            return requested, True, None
        return (
            fallback,
            False,
            f"We do not know the time zone {requested!r}; times are shown in {fallback}.",
        )
    return fallback, False, None


def is_partial() -> bool:
    return request.args.get("partial") == "1"


@dataclass(frozen=True)
class EventCard:
    """An event as the lists show it."""

    event: Event
    hosts: tuple[Admin, ...]
    duration: str
    meeting_type: str
    location: str


def event_card(event: Event, hosts: tuple[Admin, ...]) -> EventCard:
    return EventCard(
        event,
        hosts,
        duration_label(event.duration_minutes),
        MEETING_TYPES.get(event.meeting_type, event.meeting_type.value),
        LOCATIONS.get(event.location_type, event.location_type.value),
    )


# ---------------------------------------------------------------------------------------------
# Event lists
# ---------------------------------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    """The organisation's public events."""
    with unit_of_work() as session:
        cards = [event_card(e, tuple(event_hosts(session, e))) for e in public_events(session)]
        name = org_name(session)
    return render_template("index.html", cards=cards, org_name=name, host=None)


@bp.get("/host/<slug>")
def host_page(slug: str) -> str:
    """One host's public events."""
    with unit_of_work() as session:
        host = host_by_slug(session, slug)
        if host is None:
            abort(404, description="We could not find that person.")
        events = public_events(session, host_slug=slug)
        cards = [event_card(e, tuple(event_hosts(session, e))) for e in events]
        name = org_name(session)
    return render_template("index.html", cards=cards, org_name=name, host=host)


# ---------------------------------------------------------------------------------------------
# The booking page and form
# ---------------------------------------------------------------------------------------------


@dataclass
class FormState:
    """What the attendee typed, the problems with it, and the form's idempotency key."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    key: str = field(default_factory=lambda: "page:" + secrets.token_urlsafe(24))
    message: str | None = None

    def answer(self, question_id: uuid.UUID) -> Any:
        return self.values.get("answers", {}).get(str(question_id), "")


def book_page(
    slug: str,
    args: Mapping[str, str],
    *,
    form: FormState | None = None,
    message: str | None = None,
    status: int = 200,
    tracked: bool = False,
) -> Response:
    """The booking page: the calendar, or the form for a chosen time.

    `form` is set when a sent form comes back with problems: it is shown again for its time
    even if that time has been taken since (sending it again gives the clean "taken" reply).
    """
    partial = is_partial()
    with unit_of_work() as session:
        event = event_or_404(session, slug)
        details = event_details(session, event)
        zone, explicit, problem = resolve_zone(event, args.get("timezone"), event.display_timezone)
        nav = Nav("pages.book", {"slug": slug}, zone if explicit else None)
        chosen = None if partial else parse_time(args.get("time"), zone)
        slot = offered_slot(session, event, chosen, zone, now()) if chosen else None
        if chosen is not None and slot is None and form is None:
            message = message or GONE_MESSAGE
            args = {**args, "date": chosen.astimezone(ZoneInfo(zone)).date().isoformat()}
            chosen = None
        picker = None
        if chosen is None:
            picker = build_picker(
                session,
                event,
                zone=zone,
                nav=nav,
                args=args,
                locked=event.lock_timezone,
                auto_zone=not explicit and not event.lock_timezone and "timezone" not in args,
                message=message or problem,
            )
        name = org_name(session)
    if tracked and not partial:
        track("page_view", event_id=event.id)
    if tracked and picker is not None and (picker.selected or picker.view == "week"):
        day = picker.selected.isoformat() if picker.selected else None
        track("slot_view", event_id=event.id, date=day, view=picker.view, zone=zone)
    if picker is not None and partial:
        return make_response(render_template("_picker.html", p=picker))
    choice = None
    if chosen is not None:
        end = slot.end if slot else chosen + timedelta(minutes=event.duration_minutes)
        choice = _choice(chosen, end, zone, nav)
        form = form or FormState()
        if tracked:
            track("booking_started", event_id=event.id, start=chosen.isoformat())
    else:
        form = None
    html = render_template(
        "book.html",
        org_name=name,
        d=details,
        card=event_card(details.event, details.hosts),
        p=picker,
        choice=choice,
        form=form,
        zone=zone,
        fields=_fields(details, form) if form else [],
    )
    response = make_response(html, status)
    origin = _redirect_origin(event)
    if origin:  # the form's redirect chain ends at the admin's thank-you page
        response.headers["Content-Security-Policy"] = policy_with({"form-action": [origin]})
    return response


def _redirect_origin(event: Event) -> str | None:
    if event.confirmation_page_type is not ConfirmationPage.REDIRECT:
        return None
    return web_origin(event.confirmation_redirect_url, ("https", "http"))


@dataclass(frozen=True)
class Choice:
    """The chosen time, shown above the form."""

    start: datetime
    end: datetime
    when: str
    zone: str
    zone_text: str
    iso: str
    back_url: str


def _choice(start: datetime, end: datetime, zone: str, nav: Nav) -> Choice:
    local = start.astimezone(ZoneInfo(zone))
    label = zone_label(start, zone)
    return Choice(
        start,
        end,
        format_range(start, end, zone).removesuffix(" " + label),
        zone,
        label,
        local.isoformat(),
        nav.url(month=f"{local:%Y-%m}", date=local.date().isoformat()),
    )


@dataclass(frozen=True)
class Field:
    """One form field as the template renders it."""

    id: str
    name: str
    label: str
    kind: str  # text, email, tel, number, textarea, select, checkboxes, guests
    value: Any
    error: str | None
    required: bool = False
    hint: str | None = None
    options: tuple[str, ...] = ()
    autocomplete: str | None = None


def _fields(details: EventDetails, form: FormState) -> list[Field]:
    e, v, errs = details.event, form.values, form.errors
    out = [
        Field(
            "name",
            "name",
            "Your name",
            "text",
            v.get("name", ""),
            errs.get("name"),
            True,
            autocomplete="name",
        ),
        Field(
            "email",
            "email",
            "Email",
            "email",
            v.get("email", ""),
            errs.get("email"),
            True,
            autocomplete="email",
        ),
    ]
    if e.collect_phone:
        out.append(
            Field(
                "phone",
                "phone",
                "Phone number",
                "tel",
                v.get("phone", ""),
                errs.get("phone"),
                e.location_type is LocationType.PHONE,
                "Include your country code, for example +44 20 7946 0000.",
                autocomplete="tel",
            )
        )
    if e.allow_guests and e.guest_limit > 0:
        out.append(
            Field(
                "guests",
                "guests",
                "Guest emails",
                "guests",
                v.get("guests", ""),
                errs.get("guests"),
                hint=f"Up to {e.guest_limit}, separated by commas. They get the invitation too.",
            )
        )
    kinds = {
        QuestionType.TEXT: "text",
        QuestionType.TEXTAREA: "textarea",
        QuestionType.SELECT: "select",
        QuestionType.MULTI_SELECT: "checkboxes",
        QuestionType.NUMBER: "number",
        QuestionType.EMAIL: "email",
        QuestionType.PHONE: "tel",
    }
    for q in details.questions:
        value = form.answer(q.id)
        if q.question_type is QuestionType.MULTI_SELECT and not isinstance(value, list):
            value = [value] if value else []
        out.append(
            Field(
                f"q-{q.id}",
                f"q_{q.id}",
                q.label,
                kinds.get(q.question_type, "text"),
                value,
                errs.get(f"answers.{q.id}"),
                q.required,
                q.help_text,
                tuple(str(o) for o in q.options or []),
            )
        )
    return out


@bp.get("/book/<slug>")
def book(slug: str) -> Response:
    """Event details, the month (or week) view, the day's times, or the booking form."""
    return book_page(slug, request.args, tracked=True)


def _form_values(details: EventDetails) -> dict[str, Any]:
    form = request.form
    answers: dict[str, Any] = {}
    for q in details.questions:
        key = f"q_{q.id}"
        if q.question_type is QuestionType.MULTI_SELECT:
            answers[str(q.id)] = [v for v in form.getlist(key) if v]
        else:
            answers[str(q.id)] = form.get(key, "").strip()
    return {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip(),
        "phone": form.get("phone", "").strip(),
        "guests": form.get("guests", "").strip(),
        "answers": answers,
    }


@bp.post("/book/<slug>")
def book_submit(slug: str) -> Response:
    """Create the booking, then redirect to its confirmation page (POST-redirect-GET)."""
    with unit_of_work() as session:
        event = event_or_404(session, slug)
        details = event_details(session, event)
    zone = event.display_timezone if event.lock_timezone else request.form.get("timezone", "")
    if not valid_timezone(zone):
        zone = event.display_timezone
    args = {"timezone": zone} if not event.lock_timezone else {}
    start = parse_time(request.form.get("start"), zone)
    if start is None:
        return book_page(slug, args, message="Please pick a time first.", status=422)
    raw_key = request.form.get("idempotency_key", "")
    state = FormState(values=_form_values(details))
    if KEY_PATTERN.match(raw_key):
        state.key = raw_key
    values = state.values
    booking_request = BookingRequest(
        start=start,
        name=values["name"],
        email=values["email"],
        timezone=zone,
        guests=tuple(g for g in re.split(r"[\s,;]+", values["guests"]) if g),
        answers=values["answers"],
        phone=values["phone"] or None,
        idempotency_key=state.key,
        source="booking_page",
        referrer=(request.referrer or "")[:500] or None,
        utm=utm(),
    )
    form_args = {**args, "time": start.isoformat()}
    try:
        with booking_unit(slug, booking_request) as unit:
            result = None
            if not unit.rate_limited:
                result = create_booking(
                    unit.session,
                    org_id(),
                    event_setup(unit.session, slug),
                    booking_request,
                    now=now(),
                    actor=booking_request.email,
                    commit=True,
                    prefetched_for=unit.prefetched_for,
                )
    except InvalidBooking as exc:
        state.errors = dict(exc.errors)
        if "idempotency_key" in state.errors:
            state.key = FormState().key
            state.message = (
                "This form was already used for another booking. Please check and send it again."
            )
        elif set(state.errors) & {"start", "timezone"}:
            state.message = "; ".join(
                state.errors[k] for k in ("start", "timezone") if k in state.errors
            )
        else:
            state.message = "Please correct the highlighted fields."
        return book_page(slug, form_args, form=state, status=422)
    except SlotTaken:
        day = start.astimezone(ZoneInfo(zone)).date().isoformat()
        return book_page(slug, {**args, "date": day}, message=TAKEN_MESSAGE, status=409)
    except SlotUnavailable as exc:
        day = start.astimezone(ZoneInfo(zone)).date().isoformat()
        return book_page(slug, {**args, "date": day}, message=str(exc), status=422)
    except EventNotFound:
        abort(404, description="We could not find that event. It may have been removed.")
    except BookingError as exc:
        state.message = str(exc)
        return book_page(slug, form_args, form=state, status=exc.status)
    if result is None:
        state.message = "Too many bookings from here; please try again later."
        return book_page(slug, form_args, form=state, status=429)
    booking = result.booking
    slots_cache().drop_org(booking.org_id)
    if not result.replayed:
        track("booking_completed", event_id=booking.event_id, booking_id=booking.id)
    target = url_for("pages.confirmation", slug=slug, uid=booking.id, token=result.manage_token)
    return redirect(target, 303)


# ---------------------------------------------------------------------------------------------
# A booking: summary, confirmation, calendar file
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """A booking as the confirmation and manage pages show it."""

    booking: Booking
    event: Event
    token: str
    zone: str
    when: str
    zone_text: str
    start_iso: str
    hosts: tuple[str, ...]
    attendee: Attendee
    guests: tuple[str, ...]
    where: str
    where_is_link: bool
    status: str
    google_url: str
    outlook_url: str
    ics_url: str
    manage_url: str
    prep: tuple[PrepResource, ...]


STATUS_TEXT = {
    BookingStatus.CONFIRMED: "Confirmed",
    BookingStatus.PENDING_APPROVAL: "Awaiting approval",
    BookingStatus.CANCELLED: "Cancelled",
    BookingStatus.DECLINED: "Declined",
    BookingStatus.RESCHEDULED: "Moved to another time",
}


def verified_booking(session: Session, uid: str, token: str) -> Booking:
    """The booking if `token` is its self-service token; 404 for a malformed id, else 403."""
    try:
        booking_id = uuid.UUID(uid)
    except ValueError:
        abort(404, description="We could not find that booking.")
    try:
        return verify_attendee(session, booking_id, token)
    except NotAllowed as exc:
        abort(403, description=str(exc))


def summary(session: Session, booking: Booking, token: str) -> Summary:
    event = session.scalars(select(Event).where(Event.id == booking.event_id)).one()
    people = session.scalars(
        select(Attendee).where(Attendee.booking_id == booking.id).order_by(Attendee.is_guest)
    ).all()
    hosts = booking_host_names(session, booking.id)
    zone = booking.attendee_timezone or event.display_timezone
    if not valid_timezone(zone):
        zone = "UTC"
    label = zone_label(booking.starts_at, zone)
    where = event.video_link or event.location or LOCATIONS.get(event.location_type, "")
    details = event.description or event.title
    prep = session.scalars(
        select(PrepResource)
        .where(PrepResource.event_id == event.id)
        .order_by(PrepResource.position)
    ).all()
    return Summary(
        booking=booking,
        event=event,
        token=token,
        zone=zone,
        when=format_range(booking.starts_at, booking.ends_at, zone).removesuffix(" " + label),
        zone_text=label,
        start_iso=booking.starts_at.astimezone(ZoneInfo(zone)).isoformat(),
        hosts=tuple(dict.fromkeys(hosts)),
        attendee=people[0],
        guests=tuple(p.email for p in people[1:]),
        where=where,
        where_is_link=bool(web_origin(where, ("https", "http"))),
        status=STATUS_TEXT.get(booking.status, booking.status.value),
        google_url=google_calendar_url(
            event.title, booking.starts_at, booking.ends_at, details, where
        ),
        outlook_url=outlook_calendar_url(
            event.title, booking.starts_at, booking.ends_at, details, where
        ),
        ics_url=url_for("pages.calendar_file", uid=booking.id, token=token),
        manage_url=url_for("pages.manage", uid=booking.id, token=token),
        prep=tuple(prep),
    )


@bp.get("/book/<slug>/confirmation/<uid>")
def confirmation(slug: str, uid: str) -> Response:
    """After booking: the default page, the admin's own HTML, or a redirect."""
    token = request.args.get("token", "")
    with unit_of_work() as session:
        booking = verified_booking(session, uid, token)
        info = summary(session, booking, token)
        name = org_name(session)
    event = info.event
    if event.slug != slug:
        abort(404, description="We could not find that booking.")
    kind = event.confirmation_page_type
    if kind is ConfirmationPage.REDIRECT and web_origin(
        event.confirmation_redirect_url, ("https", "http")
    ):
        target = with_params(
            event.confirmation_redirect_url or "",
            {
                "booking_uid": str(booking.id),
                "event_slug": event.slug,
                "start": info.start_iso,
                "timezone": info.zone,
                "invitee_name": info.attendee.name or "",
                "invitee_email": info.attendee.email,
            },
        )
        return no_store(redirect(target, 302))
    custom = None
    if kind is ConfirmationPage.CUSTOM and event.confirmation_custom_html:
        custom = clean_custom_html(event.confirmation_custom_html)
    script_origin = web_origin(event.conversion_script_url)
    response = make_response(
        render_template(
            "confirmation.html",
            org_name=name,
            s=info,
            custom=custom,
            pending=booking.status is BookingStatus.PENDING_APPROVAL,
            live=booking.status in LIVE,
            script_url=event.conversion_script_url if script_origin else None,
        )
    )
    extra: dict[str, list[str]] = {}
    if script_origin:  # the admin's conversion script, on this page only
        extra = {
            "script-src": [script_origin],
            "connect-src": [script_origin],
            "img-src": [script_origin],
        }
    if custom:
        extra.setdefault("img-src", []).append("https:")
    if extra:
        response.headers["Content-Security-Policy"] = policy_with(extra)
    return no_store(response)


@bp.get("/booking/<uid>/invite.ics")
def calendar_file(uid: str) -> Response:
    """The booking as a calendar file (token-protected)."""
    token = request.args.get("token", "")
    with unit_of_work() as session:
        booking = verified_booking(session, uid, token)
        view = load_view(
            session, booking.id, secret=secret_key(), base_url=request.url_root.rstrip("/")
        )
        slug = session.scalars(select(Event.slug).where(Event.id == booking.event_id)).one()
    gone = booking.status in (BookingStatus.CANCELLED, BookingStatus.DECLINED)
    body = build_calendar(view, Method.CANCEL if gone else Method.REQUEST, now())
    response = make_response(body)
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return no_store(response)


# ---------------------------------------------------------------------------------------------
# Manage a booking: reschedule or cancel
# ---------------------------------------------------------------------------------------------


def manage_page(
    uid: str,
    token: str,
    args: Mapping[str, str],
    *,
    message: str | None = None,
    status: int = 200,
) -> Response:
    with unit_of_work() as session:
        booking = verified_booking(session, uid, token)
        info = summary(session, booking, token)
        event = info.event
        name = org_name(session)
        moment = now()
        live = booking.status in LIVE and booking.starts_at > moment
        moved = None
        if booking.status is BookingStatus.RESCHEDULED:
            latest = latest_in_chain(session, booking)
            if latest is not None:
                moved = summary(session, latest, manage_token(secret_key(), latest.id))
        picker = proposal = None
        if live:
            fallback = info.zone
            zone, explicit, problem = resolve_zone(event, args.get("timezone"), fallback)
            nav = Nav(
                "pages.manage", {"uid": str(booking.id), "token": token}, zone if explicit else None
            )
            chosen = parse_time(args.get("time"), zone)
            slot = offered_slot(session, event, chosen, zone, moment) if chosen else None
            if chosen is not None and slot is None:
                message = message or GONE_MESSAGE
                args = {**args, "date": chosen.astimezone(ZoneInfo(zone)).date().isoformat()}
            if slot is not None and not is_partial():
                proposal = _choice(slot.start, slot.end, zone, nav)
            else:
                picker = build_picker(
                    session,
                    event,
                    zone=zone,
                    nav=nav,
                    args=args,
                    locked=event.lock_timezone,
                    auto_zone=False,
                    message=message or problem,
                )
    if picker is not None and is_partial():
        return no_store(make_response(render_template("_picker.html", p=picker)))
    notice = NOTICES.get(args.get("notice", ""))
    response = make_response(
        render_template(
            "manage.html",
            org_name=name,
            s=info,
            live=live,
            past=booking.status in LIVE and not live,
            moved=moved,
            p=picker,
            proposal=proposal,
            notice=notice,
            message=message if picker is None else None,
        ),
        status,
    )
    return no_store(response)


@bp.get("/booking/<uid>")
def manage(uid: str) -> Response:
    """Manage a booking from the emailed link: see it, reschedule it, cancel it."""
    return manage_page(uid, request.args.get("token", ""), request.args)


@bp.post("/booking/<uid>/reschedule")
def reschedule(uid: str) -> Response:
    """Move the booking to the chosen time."""
    token = request.form.get("token", "")
    requested = request.form.get("timezone", "")
    # The form's time carries the offset of the zone the page showed, so its date is that day.
    start = parse_time(request.form.get("start"), "UTC")
    if start is None:
        message = "Please pick a new time."
        return manage_page(uid, token, _zone_args(requested), message=message, status=422)
    try:
        with unit_of_work() as session:
            booking = verified_booking(session, uid, token)
            event = session.scalars(select(Event).where(Event.id == booking.event_id)).one()
            fallback = booking.attendee_timezone or event.display_timezone
            zone, _, _ = resolve_zone(event, requested, fallback)
            result = reschedule_booking(
                session, booking.id, start, now=now(), actor="attendee", timezone=zone
            )
    except SlotTaken:
        args = _zone_args(requested, start.date().isoformat())
        return manage_page(uid, token, args, message=TAKEN_MESSAGE, status=409)
    except InvalidBooking as exc:
        text = "; ".join(exc.errors.values())
        return manage_page(uid, token, _zone_args(requested), message=text, status=422)
    except (SlotUnavailable, InvalidTransition) as exc:
        return manage_page(uid, token, _zone_args(requested), message=str(exc), status=exc.status)
    new = result.booking
    slots_cache().drop_org(new.org_id)
    track("reschedule", event_id=new.event_id, booking_id=new.id, previous_booking_id=str(uid))
    target = url_for("pages.manage", uid=new.id, token=result.manage_token, notice="rescheduled")
    return no_store(redirect(target, 303))


def _zone_args(requested: str, day: str | None = None) -> dict[str, str]:
    args = {"timezone": requested} if requested and valid_timezone(requested) else {}
    if day:
        args["date"] = day
    return args


@bp.post("/booking/<uid>/cancel")
def cancel(uid: str) -> Response:
    """Cancel the booking, with an optional reason."""
    token = request.form.get("token", "")
    reason = request.form.get("reason", "").strip()[:2000]
    try:
        with unit_of_work() as session:
            booking = verified_booking(session, uid, token)
            cancelled = cancel_booking(
                session, booking.id, now=now(), actor="attendee", reason=reason
            )
    except InvalidTransition as exc:
        return manage_page(uid, token, {}, message=str(exc), status=409)
    slots_cache().drop_org(cancelled.org_id)
    track("cancel", event_id=cancelled.event_id, booking_id=cancelled.id)
    target = url_for("pages.manage", uid=cancelled.id, token=token, notice="cancelled")
    return no_store(redirect(target, 303))
