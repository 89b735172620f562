"""Events: the catalogue with public links, a new event, and one event's settings, hosts,
questions, preparation resources and group sessions; duplicate and deactivate.

Every change goes through `scheduling.catalog`, which checks permissions and fields; refused
fields come back under their widgets (admin_streamlit.forms). Controls a person may not use
are not shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import streamlit as st
from sqlalchemy.orm import Session

from admin_streamlit import forms
from admin_streamlit.auth import current_actor
from admin_streamlit.forms import errors_of, field_error, form_error
from admin_streamlit.state import engine
from scheduling.access import Actor, NotAllowed, can
from scheduling.catalog import (
    GROUPS,
    CatalogError,
    EventDraft,
    InvalidEvent,
    PrepInput,
    QuestionInput,
    add_session,
    add_weekly_sessions,
    clean_custom_html,
    create_event,
    deactivate_event,
    delete_session,
    duplicate_event,
    event_draft,
    host_choices,
    list_events,
    list_sessions,
    public_url,
    schedule_choices,
    set_event_hosts,
    set_prep_resources,
    set_questions,
    update_event,
)
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.models import Admin, ConfirmationPage, MeetingType, QuestionType

MEETING_TYPES = {
    "one_on_one": "One-on-one (one host)",
    "group": "Group sessions (scheduled, with seats)",
    "collective": "Collective (every host attends)",
    "round_robin": "Round robin (any one host)",
    "panel": "Panel (every host, one attendee)",
}
LOCATIONS = {"video": "Video call", "phone": "Phone", "in_person": "In person", "custom": "Other"}
CONFIRMATIONS = {
    "default": "Our confirmation page",
    "custom": "Your own content (HTML)",
    "redirect": "Send attendees to another address",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NOTICE = "ev_notice"  # a success message shown once after the rerun
GOTO = "ev_goto"  # the event to select on the next run (the picker exists by then)
PICK = "ev_pick"
NEW = "ev_new"

signed_in = current_actor()
assert signed_in is not None  # the router shows this page to signed-in people only
actor: Actor = signed_in
st.title("Events")
base_url = get_config().public_base_url
if NOTICE in st.session_state:
    st.success(st.session_state.pop(NOTICE))


def run(
    form: str,
    write: Callable[[Session], Any],
    done: str,
    goto: Callable[[Any], Any] | None = None,
    reset: tuple[str, ...] = (),
) -> None:
    """One service call in its own transaction: refusals go back to the form (typed values
    kept); success forgets the `reset` widgets' values and reruns."""
    result = forms.attempt(
        actor.org_id, form, write, by_field=(InvalidEvent,), refusals=(NotAllowed, CatalogError)
    )
    for widget in reset:
        st.session_state.pop(widget, None)
    st.session_state[NOTICE] = done
    if goto is not None:
        st.session_state[GOTO] = str(goto(result))
    st.rerun()


def person(admin: Admin) -> str:
    return f"{admin.name} <{admin.email}>"


def optional(value: Any) -> int | None:
    return None if value is None else int(value)


def optional_number(label: str, current: int | None, widget_key: str, step: int = 1) -> Any:
    """A number input that can be emptied (None): Streamlit only allows that for widgets
    created without a value, so the current value is placed in the session first."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = current
    return st.number_input(label, value=None, step=step, key=widget_key)


with tenant_session(engine(), actor.org_id) as session:
    rows = list_events(session, actor)
    people = {h.id: h for h in host_choices(session)}

st.dataframe(
    pl.DataFrame(
        [
            {
                "title": r.title,
                "slug": r.slug,
                "type": r.meeting_type,
                "minutes": r.duration_minutes,
                "hosts": r.hosts,
                "active": r.is_active,
                "public page": public_url(base_url, r.slug),
            }
            for r in rows
        ],
        schema={
            "title": pl.Utf8,
            "slug": pl.Utf8,
            "type": pl.Utf8,
            "minutes": pl.Int64,
            "hosts": pl.Utf8,
            "active": pl.Boolean,
            "public page": pl.Utf8,
        },
    ),
    hide_index=True,
    width="stretch",
    column_config={"public page": st.column_config.LinkColumn("public page")},
)

# --- a new event ---------------------------------------------------------------------------

if can(actor, "events.create"):
    reachable = [h for h in people.values() if can(actor, "events.create", frozenset({h.id}))]
    fields = ("title", "slug", "meeting_type", "duration_minutes", "hosts", "display_timezone")
    with st.expander("New event", expanded=bool(errors_of(NEW))), st.form(NEW):
        form_error(NEW, fields)
        title = st.text_input("Title", key="ev_new_title")
        field_error(NEW, "title")
        slug = st.text_input(
            "Address: /book/…",
            key="ev_new_slug",
            help="Lowercase letters, digits and hyphens. Leave empty to make one from the title.",
        )
        field_error(NEW, "slug")
        kind = st.selectbox(
            "Meeting type",
            list(MEETING_TYPES),
            format_func=MEETING_TYPES.__getitem__,
            key="ev_new_type",
        )
        field_error(NEW, "meeting_type")
        minutes = st.number_input("Duration (minutes)", value=30, step=5, key="ev_new_duration")
        field_error(NEW, "duration_minutes")
        chosen = st.multiselect(
            "Hosts (the first is the primary host)",
            [h.id for h in reachable],
            default=[actor.admin_id] if actor.admin_id in {h.id for h in reachable} else [],
            format_func=lambda i: person(people[i]),
            key="ev_new_hosts",
        )
        field_error(NEW, "hosts")
        zone = st.text_input(
            "Display time zone",
            key="ev_new_zone",
            help="IANA name such as Europe/London. Leave empty for the primary host's zone.",
        )
        field_error(NEW, "display_timezone")
        if st.form_submit_button("Create event", type="primary"):
            settings: dict[str, Any] = {
                "title": title,
                "slug": slug,
                "meeting_type": kind,
                "duration_minutes": int(minutes),
            }
            if zone.strip():
                settings["display_timezone"] = zone.strip()
            run(
                NEW,
                lambda s: create_event(s, actor, hosts=chosen, **settings),
                "Event created. It is live on its public page.",
                goto=lambda e: e.id,
                reset=("ev_new_title", "ev_new_slug", "ev_new_zone"),
            )

if not rows:
    st.info("No events yet.")
    st.stop()

# --- one event -------------------------------------------------------------------------------

labels = {
    str(r.id): f"{r.title} — /book/{r.slug}" + ("" if r.is_active else " (inactive)") for r in rows
}
if st.session_state.get(GOTO) in labels:
    st.session_state[PICK] = st.session_state.pop(GOTO)
picked = st.selectbox("Event", list(labels), format_func=labels.__getitem__, key=PICK)
with tenant_session(engine(), actor.org_id) as session:
    draft: EventDraft = event_draft(session, actor, uuid.UUID(picked))
    schedules = schedule_choices(session, draft.host_ids)
event = draft.event
url = public_url(base_url, event.slug)
st.subheader(event.title)
st.markdown(f"Public booking page: [{url}]({url})")
if not event.is_active:
    st.warning("Inactive: the public page is off. Bookings already made are kept.")


def key(name: str) -> str:
    """A widget key of this event, so switching events shows that event's values."""
    return f"ev_{name}:{event.id}"


may_change = can(actor, "events.update", draft.host_ids)
may_copy = can(actor, "events.create") and all(
    can(actor, "events.create", frozenset({h})) for h in draft.host_ids
)
ACTIONS = key("actions")
form_error(ACTIONS)
left, middle, _ = st.columns(3)
if may_copy and left.button("Duplicate", key=key("duplicate")):
    run(
        ACTIONS,
        lambda s: duplicate_event(s, actor, event.id),
        "Copied. The copy is inactive until you activate it.",
        goto=lambda e: e.id,
    )
if may_change and event.is_active and middle.button("Deactivate", key=key("deactivate")):
    run(ACTIONS, lambda s: deactivate_event(s, actor, event.id), "Deactivated.")
if may_change and not event.is_active and middle.button("Activate", key=key("activate")):
    run(ACTIONS, lambda s: update_event(s, actor, event.id, is_active=True), "Activated.")


def read_only(draft: EventDraft) -> None:
    """Everything about the event, for people who may look but not change it."""
    e = draft.event
    facts = {
        "Slug": e.slug,
        "Meeting type": MEETING_TYPES[e.meeting_type.value],
        "Duration": f"{e.duration_minutes} minutes",
        "Hosts": ", ".join(h.name for h in draft.hosts),
        "Capacity": str(e.capacity),
        "Notice": f"{e.min_notice_hours} hours",
        "Window": f"{e.booking_window_days} days" if e.booking_window_days else "no limit",
        "Buffers": f"{e.buffer_before} before, {e.buffer_after} after (None: host default)",
        "Limits": f"{e.max_daily_bookings} a day, {e.max_weekly_bookings} a week",
        "Approval": "required" if e.require_approval else "not required",
        "Guests": f"up to {e.guest_limit}" if e.allow_guests else "not allowed",
        "Display zone": e.display_timezone + (" (locked)" if e.lock_timezone else ""),
        "Confirmation page": CONFIRMATIONS[e.confirmation_page_type.value],
        "Questions": "; ".join(q.label for q in draft.questions) or "none",
        "Prep resources": "; ".join(p.title for p in draft.prep) or "none",
    }
    st.dataframe(
        pl.DataFrame({"setting": list(facts), "value": list(facts.values())}),
        hide_index=True,
        width="stretch",
    )


if not may_change:
    st.info("You can look at this event but not change it.")
    read_only(draft)
    st.stop()


def save(form: str, **changes: Any) -> None:
    run(form, lambda s: update_event(s, actor, event.id, **changes), "Saved.")


tabs = st.tabs(
    [
        "Basics",
        "Scheduling rules",
        "Guests & zone",
        "Confirmation page",
        "Hosts",
        "Questions",
        "Prep resources",
        "Sessions",
    ]
)

with tabs[0]:
    FORM = key("basics")
    shown = GROUPS["basics"]
    with st.form(FORM):
        form_error(FORM, shown)
        title = st.text_input("Title", value=event.title, key=key("title"))
        field_error(FORM, "title")
        slug = st.text_input(
            "Address: /book/…",
            value=event.slug,
            key=key("slug"),
            help="Changing it breaks links already shared.",
        )
        field_error(FORM, "slug")
        description = st.text_area(
            "Description", value=event.description or "", key=key("description")
        )
        field_error(FORM, "description")
        kinds = list(MEETING_TYPES)
        kind = st.selectbox(
            "Meeting type",
            kinds,
            index=kinds.index(event.meeting_type.value),
            format_func=MEETING_TYPES.__getitem__,
            key=key("meeting_type"),
        )
        field_error(FORM, "meeting_type")
        minutes = st.number_input(
            "Duration (minutes)", value=event.duration_minutes, step=5, key=key("duration")
        )
        field_error(FORM, "duration_minutes")
        capacity = st.number_input(
            "Seats per session (group events)",
            value=event.capacity,
            step=1,
            key=key("capacity"),
        )
        field_error(FORM, "capacity")
        places = list(LOCATIONS)
        place = st.selectbox(
            "Location",
            places,
            index=places.index(event.location_type.value),
            format_func=LOCATIONS.__getitem__,
            key=key("location_type"),
        )
        field_error(FORM, "location_type")
        where = st.text_input("Address or details", value=event.location or "", key=key("location"))
        field_error(FORM, "location")
        video = st.text_input("Video link", value=event.video_link or "", key=key("video_link"))
        field_error(FORM, "video_link")
        if st.form_submit_button("Save basics", type="primary"):
            save(
                FORM,
                title=title,
                slug=slug,
                description=description,
                meeting_type=kind,
                duration_minutes=int(minutes),
                capacity=int(capacity),
                location_type=place,
                location=where,
                video_link=video,
            )

with tabs[1]:
    FORM = key("rules")
    shown = GROUPS["scheduling rules"]
    with st.form(FORM):
        form_error(FORM, shown)
        st.caption("Leave a number empty for the default written next to it.")
        increment = optional_number(
            "Start times every … minutes (empty: the duration)",
            event.slot_increment_minutes,
            key("increment"),
            step=5,
        )
        field_error(FORM, "slot_increment_minutes")
        before = optional_number(
            "Buffer before (minutes; empty: each host's default)",
            event.buffer_before,
            key("buffer_before"),
            step=5,
        )
        field_error(FORM, "buffer_before")
        after = optional_number(
            "Buffer after (minutes; empty: each host's default)",
            event.buffer_after,
            key("buffer_after"),
            step=5,
        )
        field_error(FORM, "buffer_after")
        notice = st.number_input(
            "Minimum notice (hours)", value=event.min_notice_hours, step=1, key=key("notice")
        )
        field_error(FORM, "min_notice_hours")
        window = optional_number(
            "Bookable up to … days ahead (empty: no limit)",
            event.booking_window_days,
            key("window"),
            step=1,
        )
        field_error(FORM, "booking_window_days")
        daily = optional_number(
            "At most … bookings a day (empty: no limit)",
            event.max_daily_bookings,
            key("daily"),
            step=1,
        )
        field_error(FORM, "max_daily_bookings")
        weekly = optional_number(
            "At most … bookings a week (empty: no limit)",
            event.max_weekly_bookings,
            key("weekly"),
            step=1,
        )
        field_error(FORM, "max_weekly_bookings")
        approval = st.checkbox(
            "Hosts approve each booking before it is confirmed",
            value=event.require_approval,
            key=key("approval"),
        )
        options = ["", *(str(sid) for sid, _ in schedules)]
        names = {"": "Each host's default schedule"} | {str(sid): n for sid, n in schedules}
        pinned = st.selectbox(
            "Availability",
            options,
            index=options.index(str(event.schedule_id)) if str(event.schedule_id) in names else 0,
            format_func=names.__getitem__,
            key=key("schedule"),
        )
        field_error(FORM, "schedule_id")
        if st.form_submit_button("Save rules", type="primary"):
            save(
                FORM,
                slot_increment_minutes=optional(increment),
                buffer_before=optional(before),
                buffer_after=optional(after),
                min_notice_hours=int(notice),
                booking_window_days=optional(window),
                max_daily_bookings=optional(daily),
                max_weekly_bookings=optional(weekly),
                require_approval=approval,
                schedule_id=pinned or None,
            )

with tabs[2]:
    FORM = key("guests")
    shown = GROUPS["guests and zone"]
    with st.form(FORM):
        form_error(FORM, shown)
        guests = st.checkbox(
            "Attendees may bring guests", value=event.allow_guests, key=key("allow_guests")
        )
        limit = st.number_input(
            "Guests per booking", value=event.guest_limit, step=1, key=key("guest_limit")
        )
        field_error(FORM, "guest_limit")
        phone = st.checkbox(
            "Ask for a phone number", value=event.collect_phone, key=key("collect_phone")
        )
        zone = st.text_input(
            "Display time zone",
            value=event.display_timezone,
            key=key("zone"),
            help="IANA name such as America/New_York.",
        )
        field_error(FORM, "display_timezone")
        locked = st.checkbox(
            "Always show times in this zone (attendees cannot switch)",
            value=event.lock_timezone,
            key=key("lock_timezone"),
        )
        if st.form_submit_button("Save guests and zone", type="primary"):
            save(
                FORM,
                allow_guests=guests,
                guest_limit=int(limit),
                collect_phone=phone,
                display_timezone=zone.strip(),
                lock_timezone=locked,
            )

with tabs[3]:
    FORM = key("confirmation")
    shown = GROUPS["confirmation page"]
    with st.form(FORM):
        form_error(FORM, shown)
        pages = list(CONFIRMATIONS)
        page = st.radio(
            "After booking, show",
            pages,
            index=pages.index(event.confirmation_page_type.value),
            format_func=CONFIRMATIONS.__getitem__,
            key=key("confirmation_type"),
        )
        field_error(FORM, "confirmation_page_type")
        html = st.text_area(
            "Your content (HTML; scripts, styles and event handlers are removed)",
            value=event.confirmation_custom_html or "",
            height=160,
            key=key("custom_html"),
        )
        field_error(FORM, "confirmation_custom_html")
        redirect = st.text_input(
            "Send attendees to",
            value=event.confirmation_redirect_url or "",
            key=key("redirect"),
            help="The booking's id, time and attendee are added as query parameters.",
        )
        field_error(FORM, "confirmation_redirect_url")
        calendar = st.checkbox(
            "Show add-to-calendar links",
            value=event.show_add_to_calendar,
            key=key("add_to_calendar"),
        )
        reschedule = st.checkbox(
            "Show the reschedule and cancel link",
            value=event.show_reschedule_link,
            key=key("reschedule_link"),
        )
        script = st.text_input(
            "Conversion tracking script (https address)",
            value=event.conversion_script_url or "",
            key=key("conversion"),
        )
        field_error(FORM, "conversion_script_url")
        if st.form_submit_button("Save confirmation page", type="primary"):
            save(
                FORM,
                confirmation_page_type=page,
                confirmation_custom_html=html,
                confirmation_redirect_url=redirect,
                show_add_to_calendar=calendar,
                show_reschedule_link=reschedule,
                conversion_script_url=script,
            )
    if event.confirmation_page_type is ConfirmationPage.CUSTOM and event.confirmation_custom_html:
        with st.expander("Preview of what attendees see"):
            st.html(clean_custom_html(event.confirmation_custom_html))

with tabs[4]:
    FORM = key("hosts")
    current = [h.id for h in draft.hosts]
    choices = current + [
        h for h in people if h not in current and can(actor, "events.update", frozenset({h}))
    ]
    host_names = {h.id: person(h) for h in draft.hosts} | {i: person(people[i]) for i in people}
    with st.form(FORM):
        form_error(FORM, ("hosts",))
        st.caption("The first host is the primary host. Existing bookings keep their hosts.")
        hosts = st.multiselect(
            "Hosts",
            choices,
            default=current,
            format_func=host_names.__getitem__,
            key=key("host_list"),
        )
        field_error(FORM, "hosts")
        if st.form_submit_button("Save hosts", type="primary"):
            run(FORM, lambda s: set_event_hosts(s, actor, event.id, hosts), "Hosts saved.")


def table_rows(edited: pl.DataFrame) -> list[dict[str, Any]]:
    """Edited rows in their `order`, blank rows (nothing typed) left out."""
    rows = [r for r in edited.to_dicts() if any(v not in (None, "", False) for v in r.values())]
    for i, r in enumerate(rows):
        r["_sort"] = (r["order"] if r.get("order") is not None else 10_000 + i, i)
    return sorted(rows, key=lambda r: r["_sort"])


with tabs[5]:
    FORM = key("questions")
    st.caption(
        "One row per question, asked in the order given. Separate the options of choice "
        "questions with semicolons. Removing a question someone already answered keeps "
        "their answers."
    )
    kinds = [t.value for t in QuestionType]
    frame = pl.DataFrame(
        [
            {
                "order": i + 1,
                "label": q.label,
                "type": q.question_type.value,
                "required": q.required,
                "options": "; ".join(str(o) for o in q.options or []),
                "help": q.help_text or "",
                "id": str(q.id),
            }
            for i, q in enumerate(draft.questions)
        ],
        schema={
            "order": pl.Int64,
            "label": pl.Utf8,
            "type": pl.Utf8,
            "required": pl.Boolean,
            "options": pl.Utf8,
            "help": pl.Utf8,
            "id": pl.Utf8,
        },
    )
    with st.form(FORM):
        form_error(FORM)
        edited = st.data_editor(
            frame,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=key("questions_table"),
            column_config={
                "id": None,
                "order": st.column_config.NumberColumn("order", step=1),
                "type": st.column_config.SelectboxColumn("type", options=kinds, default="text"),
                "required": st.column_config.CheckboxColumn("required", default=False),
                "options": st.column_config.TextColumn("options (a; b; c)"),
            },
        )
        if st.form_submit_button("Save questions", type="primary"):
            questions = [
                QuestionInput(
                    label=r["label"] or "",
                    question_type=r["type"] or "text",
                    required=bool(r["required"]),
                    options=[o for o in (r["options"] or "").split(";")],
                    help_text=r["help"],
                    id=uuid.UUID(r["id"]) if r.get("id") else None,
                )
                for r in table_rows(edited)
            ]
            run(FORM, lambda s: set_questions(s, actor, event.id, questions), "Questions saved.")

with tabs[6]:
    FORM = key("prep")
    st.caption("Shown on the booking confirmation and in messages, in this order.")
    frame = pl.DataFrame(
        [
            {
                "order": i + 1,
                "title": p.title,
                "url": p.url or "",
                "description": p.description or "",
            }
            for i, p in enumerate(draft.prep)
        ],
        schema={"order": pl.Int64, "title": pl.Utf8, "url": pl.Utf8, "description": pl.Utf8},
    )
    with st.form(FORM):
        form_error(FORM)
        edited = st.data_editor(
            frame,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=key("prep_table"),
            column_config={"order": st.column_config.NumberColumn("order", step=1)},
        )
        if st.form_submit_button("Save prep resources", type="primary"):
            items = [
                PrepInput(r["title"] or "", r["url"], r["description"]) for r in table_rows(edited)
            ]
            run(FORM, lambda s: set_prep_resources(s, actor, event.id, items), "Resources saved.")

with tabs[7]:
    if event.meeting_type is not MeetingType.GROUP:
        st.info("Sessions are for group events; this event offers times from its hosts' hours.")
        st.stop()
    zone_info = ZoneInfo(event.display_timezone)
    now = datetime.now(UTC)
    with tenant_session(engine(), actor.org_id) as session:
        sessions = list_sessions(session, event.id, since=now)
    st.dataframe(
        pl.DataFrame(
            [
                {
                    f"start ({event.display_timezone})": r.starts_at.astimezone(zone_info).strftime(
                        "%a %Y-%m-%d %H:%M"
                    ),
                    "minutes": int((r.ends_at - r.starts_at).total_seconds() // 60),
                    "seats": r.capacity,
                    "taken": r.seats_taken,
                    "bookings": r.bookings,
                }
                for r in sessions
            ],
            schema={
                f"start ({event.display_timezone})": pl.Utf8,
                "minutes": pl.Int64,
                "seats": pl.Int64,
                "taken": pl.Int64,
                "bookings": pl.Int64,
            },
        ),
        hide_index=True,
        width="stretch",
    )
    FORM = key("add_session")
    st.markdown(f"**Add one session** (times in {event.display_timezone})")
    with st.form(FORM):
        form_error(FORM, ("starts_at", "duration_minutes", "capacity"))
        day = st.date_input("Day", value=date.today() + timedelta(days=7), key=key("s_day"))
        at = st.time_input("Start", value=time(10), key=key("s_time"), step=300)
        field_error(FORM, "starts_at")
        length = st.number_input(
            "Minutes", value=event.duration_minutes, step=5, key=key("s_minutes")
        )
        field_error(FORM, "duration_minutes")
        seats = st.number_input("Seats", value=event.capacity, step=1, key=key("s_seats"))
        field_error(FORM, "capacity")
        if st.form_submit_button("Add session", type="primary"):
            start = datetime.combine(day, at, tzinfo=zone_info)
            run(
                FORM,
                lambda s: add_session(
                    s,
                    actor,
                    event.id,
                    starts_at=start,
                    now=datetime.now(UTC),
                    duration_minutes=int(length),
                    capacity=int(seats),
                ),
                "Session added.",
            )
    FORM = key("add_weekly")
    st.markdown(f"**Add weekly sessions** (times in {event.display_timezone})")
    with st.form(FORM):
        form_error(FORM, ("weekdays", "first_day", "last_day", "duration_minutes", "capacity"))
        days = st.multiselect(
            "On", list(range(7)), format_func=lambda d: WEEKDAYS[d], key=key("w_days")
        )
        field_error(FORM, "weekdays")
        at = st.time_input("Start", value=time(10), key=key("w_time"), step=300)
        first = st.date_input("From", value=date.today() + timedelta(days=1), key=key("w_first"))
        field_error(FORM, "first_day")
        last = st.date_input("Until", value=date.today() + timedelta(days=28), key=key("w_last"))
        field_error(FORM, "last_day")
        length = st.number_input(
            "Minutes", value=event.duration_minutes, step=5, key=key("w_minutes")
        )
        field_error(FORM, "duration_minutes")
        seats = st.number_input("Seats", value=event.capacity, step=1, key=key("w_seats"))
        field_error(FORM, "capacity")
        if st.form_submit_button("Add weekly sessions", type="primary"):
            run(
                FORM,
                lambda s: add_weekly_sessions(
                    s,
                    actor,
                    event.id,
                    weekdays=days,
                    start_time=at,
                    first_day=first,
                    last_day=last,
                    now=datetime.now(UTC),
                    duration_minutes=int(length),
                    capacity=int(seats),
                ),
                "Sessions added.",
            )
    if sessions:
        FORM = key("delete_session")
        form_error(FORM)
        by_label = {
            r.starts_at.astimezone(zone_info).strftime("%a %Y-%m-%d %H:%M")
            + f" · {r.bookings} booking(s)": r.id
            for r in sessions
        }
        gone = st.selectbox("Session", list(by_label), key=key("d_session"))
        if st.button("Delete session", key=key("d_button")):
            run(FORM, lambda s: delete_session(s, actor, by_label[gone]), "Session deleted.")
