"""Availability: a person's schedules, weekly hours, date overrides and time off, and the
next 14 days of slots attendees can book with them for one of their events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

import polars as pl
import streamlit as st
from sqlalchemy.orm import Session

from admin_streamlit import forms
from admin_streamlit.auth import current_actor
from admin_streamlit.forms import field_error, form_error
from admin_streamlit.state import engine
from scheduling.access import Actor, NotAllowed
from scheduling.db import tenant_session
from scheduling.models import Admin
from scheduling.schedules import (
    DAY_NAMES,
    AvailabilityNotFound,
    InvalidSchedule,
    ScheduleView,
    create_schedule,
    create_time_off,
    delete_date_override,
    delete_schedule,
    delete_time_off,
    format_ranges,
    host_schedules,
    hosted_events,
    may_edit,
    parse_ranges,
    parse_week,
    preview_slots,
    set_date_override,
    set_weekly_hours,
    update_schedule,
    visible_hosts,
)

FLASH = "availability_flash"

signed_in = current_actor()
assert signed_in is not None  # the router shows this page to signed-in people only
actor: Actor = signed_in
st.title("Availability")
now = datetime.now(UTC)
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))


def attempt(form: str, done: str, write: Callable[[Session], object], keys: tuple = ()) -> None:
    """Run one change in its own transaction: refused, the messages go to their fields;
    done, the form's widgets start again from what is stored."""
    forms.attempt(
        actor.org_id,
        form,
        write,
        by_field=(InvalidSchedule,),
        refusals=(NotAllowed, AvailabilityNotFound),
    )
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state[FLASH] = done
    st.rerun()


hosts = forms.read_or_stop(actor.org_id, lambda session: visible_hosts(session, actor))
if not hosts:
    st.info("There is nobody whose availability you can see.")
    st.stop()
labels = {f"{h.name} <{h.email}>": h for h in hosts}
mine = next((i for i, h in enumerate(hosts) if h.id == actor.admin_id), 0)
host: Admin = labels[st.selectbox("Person", list(labels), index=mine, key="av_host")]
with tenant_session(engine(), actor.org_id) as session:
    view = host_schedules(session, actor, host.id, now=now)
    events = hosted_events(session, actor, host.id)
editable = may_edit(actor, host.id)
st.caption(f"{host.name} works in **{host.timezone}**.")
if not editable:
    st.info("You can see this person's availability but not change it.")


def week_summary(schedule: ScheduleView) -> str:
    days = [f"{DAY_NAMES[d][:3]} {format_ranges(r)}" for d, r in sorted(schedule.week.items())]
    return "; ".join(days) or "no hours"


# Schedules ---------------------------------------------------------------------------------

st.header("Schedules")
st.dataframe(
    pl.DataFrame(
        [
            {
                "schedule": v.schedule.name,
                "zone": v.schedule.timezone,
                "default": v.schedule.is_default,
                "weekly hours": week_summary(v),
                "pinned by": ", ".join(v.pinned_by),
            }
            for v in view.schedules
        ],
        schema={
            "schedule": pl.Utf8,
            "zone": pl.Utf8,
            "default": pl.Boolean,
            "weekly hours": pl.Utf8,
            "pinned by": pl.Utf8,
        },
    ),
    hide_index=True,
    width="stretch",
)


def new_schedule_form() -> None:
    form = f"new_schedule:{host.id}"
    keys = (f"av_new_name_{host.id}", f"av_new_zone_{host.id}", f"av_new_default_{host.id}")
    with st.expander("New schedule", expanded=not view.schedules), st.form(form):
        form_error(form, ("name", "timezone"))
        name = st.text_input("Name", key=keys[0], placeholder="Summer hours")
        field_error(form, "name")
        zone = st.text_input("Time zone", value=host.timezone, key=keys[1])
        field_error(form, "timezone")
        default = st.checkbox("Make it the default", key=keys[2])
        st.caption("It starts with Monday to Friday, 09:00-17:00.")
        if st.form_submit_button("Create schedule"):
            attempt(
                form,
                f"Schedule {name.strip()!r} created.",
                lambda s: create_schedule(
                    s, actor, host.id, name=name, timezone=zone, is_default=default
                ),
                keys,
            )


if editable:
    new_schedule_form()
if not view.schedules:
    st.info(f"{host.name} has no schedule yet, so nobody can book them.")
    st.stop()

by_label = {
    f"{v.schedule.name}{' (default)' if v.schedule.is_default else ''}": v for v in view.schedules
}
chosen = by_label[st.selectbox("Schedule", list(by_label), key=f"av_schedule_{host.id}")]
schedule = chosen.schedule
sid = schedule.id


def settings_form() -> None:
    form = f"schedule:{sid}"
    keys = (f"av_name_{sid}", f"av_zone_{sid}", f"av_default_{sid}")
    st.caption("Rename it, change its zone, make it the default or delete it.")
    with st.form(form):
        form_error(form, ("name", "timezone", "is_default"))
        name = st.text_input("Name", value=schedule.name, key=keys[0])
        field_error(form, "name")
        zone = st.text_input(
            "Time zone",
            value=schedule.timezone,
            key=keys[1],
            help="Hours keep their clock times: 09:00 stays 09:00 in the new zone.",
        )
        field_error(form, "timezone")
        default = st.checkbox(
            "Default schedule (events that pin no schedule use it)",
            value=schedule.is_default,
            disabled=schedule.is_default,
            key=keys[2],
        )
        field_error(form, "is_default")
        if st.form_submit_button("Save schedule"):
            changes: dict[str, object] = {"name": name, "timezone": zone}
            if default and not schedule.is_default:
                changes["is_default"] = True
            attempt(
                form,
                "Schedule saved.",
                lambda s: update_schedule(s, actor, sid, **changes),
                keys,
            )
    form = f"delete_schedule:{sid}"
    form_error(form)
    if st.button("Delete this schedule", key=f"av_delete_{sid}"):
        attempt(
            form, f"Schedule {schedule.name!r} deleted.", lambda s: delete_schedule(s, actor, sid)
        )


def hours_form() -> None:
    form = f"hours:{sid}"
    keys = tuple(f"av_hours_{d}_{sid}" for d in range(7))
    with st.form(form):
        form_error(form, tuple(f"hours_{d}" for d in range(7)))
        texts = {}
        for d, day in enumerate(DAY_NAMES):
            texts[d] = st.text_input(day, value=format_ranges(chosen.week.get(d, [])), key=keys[d])
            field_error(form, f"hours_{d}")
        if st.form_submit_button("Save weekly hours"):
            attempt(
                form,
                "Weekly hours saved.",
                lambda s: set_weekly_hours(s, actor, sid, parse_week(texts)),
                keys,
            )


if editable:
    settings_form()

st.subheader("Weekly hours")
if editable:
    st.caption(
        f"In **{schedule.timezone}**. Type ranges like 09:00-12:00, 13:00-17:00; leave a day "
        "empty when there are no hours; 24:00 ends at midnight."
    )
    hours_form()
else:
    st.caption(f"In **{schedule.timezone}**.")
    st.dataframe(
        pl.DataFrame(
            {
                "day": list(DAY_NAMES),
                "hours": [format_ranges(chosen.week.get(d, [])) or "—" for d in range(7)],
            }
        ),
        hide_index=True,
    )

# Date overrides ----------------------------------------------------------------------------

st.subheader("Date overrides")
st.caption(f"Hours for one date instead of its weekly hours, in **{schedule.timezone}**.")
listing = f"overrides:{sid}"
form_error(listing)
if not chosen.overrides:
    st.write("No overrides from today on.")
for day, ranges in chosen.overrides:
    left, right = st.columns([5, 1])
    left.write(f"{day:%a %d %b %Y}: {format_ranges(ranges) if ranges else 'day off'}")
    if editable and right.button("Delete", key=f"av_override_delete_{sid}_{day.isoformat()}"):
        attempt(
            listing,
            f"Override on {day:%d %b} deleted.",
            partial(delete_date_override, actor=actor, schedule_id=sid, day=day),
        )


def override_form() -> None:
    form = f"override:{sid}"
    keys = (f"av_override_day_{sid}", f"av_override_off_{sid}", f"av_override_hours_{sid}")
    today = now.astimezone(ZoneInfo(schedule.timezone)).date()
    with st.form(form):
        form_error(form, ("day", "hours"))
        day = st.date_input("Date", value=today, min_value=today, key=keys[0])
        field_error(form, "day")
        off = st.checkbox("Day off", key=keys[1])
        text = st.text_input("Hours (unless a day off)", key=keys[2], placeholder="10:00-14:00")
        field_error(form, "hours")
        if st.form_submit_button("Save override"):
            attempt(
                form,
                f"Override on {day:%d %b} saved.",
                lambda s: set_date_override(
                    s, actor, sid, day, None if off else parse_ranges(text)
                ),
                keys,
            )


if editable:
    override_form()

# Time off --------------------------------------------------------------------------------

st.header("Time off")
zone = ZoneInfo(host.timezone)
st.caption(f"Away for every schedule and event, in **{host.timezone}**.")
listing = f"time_off_list:{host.id}"
form_error(listing)
if not view.time_off:
    st.write("No time off ahead.")
for away in view.time_off:
    left, right = st.columns([5, 1])
    starts, ends = away.starts_at.astimezone(zone), away.ends_at.astimezone(zone)
    left.write(
        f"{starts:%a %d %b %Y %H:%M} to {ends:%a %d %b %Y %H:%M}"
        + (f" — {away.reason}" if away.reason else "")
    )
    if editable and right.button("Delete", key=f"av_time_off_delete_{away.id}"):
        attempt(
            listing,
            "Time off deleted.",
            partial(delete_time_off, actor=actor, time_off_id=away.id),
        )


def time_off_form() -> None:
    form = f"time_off:{host.id}"
    keys = tuple(f"av_off_{part}_{host.id}" for part in ("sd", "st", "ed", "et", "reason"))
    today = now.astimezone(zone).date()
    with st.form(form):
        form_error(form, ("starts_at", "ends_at", "reason"))
        left, right = st.columns(2)
        start_day = left.date_input("First day", value=today, key=keys[0])
        start_time = right.time_input("Start time", value=time(0), key=keys[1])
        field_error(form, "starts_at")
        left, right = st.columns(2)
        end_day = left.date_input("Last day", value=today, key=keys[2])
        end_time = right.time_input("End time", value=time(23, 45), key=keys[3])
        field_error(form, "ends_at")
        reason = st.text_input("Reason (optional)", key=keys[4])
        field_error(form, "reason")
        if st.form_submit_button("Add time off"):
            attempt(
                form,
                "Time off added.",
                lambda s: create_time_off(
                    s,
                    actor,
                    host.id,
                    starts=datetime.combine(start_day, start_time),
                    ends=datetime.combine(end_day, end_time),
                    reason=reason,
                ),
                keys,
            )


if editable:
    time_off_form()

# Preview -----------------------------------------------------------------------------------

st.header("Next 14 days")
if not events:
    st.info(f"{host.name} hosts no active event, so there is nothing to book.")
    st.stop()
by_event = {f"{e.title} ({e.slug})": e for e in events}
event = by_event[st.selectbox("Event", list(by_event), key=f"av_event_{host.id}")]
with tenant_session(engine(), actor.org_id) as session:
    preview = preview_slots(session, actor, host.id, event.id, now=now)
st.caption(
    f"What attendees can book with {host.name} for {event.title}, in **{preview.timezone}**, "
    f"using the schedule **{preview.schedule_name or 'none'}** (bookings, buffers, notice, "
    "limits and time off included)."
)
st.dataframe(
    pl.DataFrame(
        {
            "day": [f"{day:%a %d %b}" for day, _ in preview.days],
            "slots": [len(starts) for _, starts in preview.days],
            "times": [", ".join(f"{s:%H:%M}" for s in starts) for _, starts in preview.days],
        }
    ),
    hide_index=True,
    width="stretch",
)
