"""Bookings: filter and export, then one booking in detail with what staff can do to it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import polars as pl
import streamlit as st

from admin_streamlit import booking_panels as panels
from admin_streamlit import forms
from admin_streamlit.auth import signed_in
from admin_streamlit.flash import show_flash
from admin_streamlit.state import engine
from admin_streamlit.widgets import date_span
from scheduling.access import can
from scheduling.booking import (
    BookingFilter,
    booking_detail,
    filter_choices,
    list_bookings,
    may_change,
)
from scheduling.db import tenant_session
from scheduling.models import BookingStatus

actor = signed_in()
st.title("Bookings")
show_flash()

choices = forms.read_or_stop(actor.org_id, lambda session: filter_choices(session, actor))
events, hosts = dict(choices.events), dict(choices.hosts)

left, middle, right = st.columns(3)
status = left.selectbox("Status", ["any", *[s.value for s in BookingStatus]], key="bk_status")
event_id = middle.selectbox(
    "Event", [None, *events], format_func=lambda i: events.get(i, "Any event"), key="bk_event"
)
host_id = right.selectbox(
    "Host", [None, *hosts], format_func=lambda i: hosts.get(i, "Any host"), key="bk_host"
)
left, right = st.columns([1, 2])
who = left.text_input("Attendee name or email", key="bk_attendee")
default = (date.today() - timedelta(days=30), date.today() + timedelta(days=30))
since, until = date_span(right.date_input("Starting between", default, key="bk_dates"), default)
query = BookingFilter(
    status=None if status == "any" else BookingStatus(status),
    event_id=event_id,
    host_id=host_id,
    attendee=who or None,
    since=since,
    until=until,
)
with tenant_session(engine(), actor.org_id) as session:
    rows = list_bookings(session, actor, query)

table = pl.DataFrame(
    [
        {
            "start (UTC)": r.starts_at,
            "event": r.event,
            "attendee": r.attendee,
            "email": r.attendee_email,
            "hosts": r.hosts,
            "status": r.status,
            "attendance": r.attendance,
            "id": str(r.id),
        }
        for r in rows
    ],
    schema={
        "start (UTC)": pl.Datetime(time_zone="UTC"),
        "event": pl.Utf8,
        "attendee": pl.Utf8,
        "email": pl.Utf8,
        "hosts": pl.Utf8,
        "status": pl.Utf8,
        "attendance": pl.Utf8,
        "id": pl.Utf8,
    },
)
st.caption(
    f"The first {len(rows)} bookings; narrow the filters to see the rest."
    if len(rows) == query.limit
    else f"{len(rows)} bookings"
)
st.dataframe(table, hide_index=True, width="stretch")
if can(actor, "bookings.export"):
    st.download_button(
        "Download CSV", table.write_csv(), file_name="bookings.csv", mime="text/csv", key="bk_csv"
    )
if not rows:
    st.stop()

st.subheader("Booking")
by_id = {str(r.id): r for r in rows}
wanted = st.session_state.pop(panels.NEXT_CHOICE, None)
if wanted in by_id:  # a change made a new booking (a reschedule): show that one
    st.session_state["bk_choice"] = wanted
chosen = uuid.UUID(
    st.selectbox(
        "Choose a booking",
        list(by_id),
        format_func=lambda i: (
            f"{by_id[i].starts_at:%Y-%m-%d %H:%M} UTC · {by_id[i].event} · "
            f"{by_id[i].attendee} · {by_id[i].status.replace('_', ' ')}"
        ),
        key="bk_choice",
    )
)
with tenant_session(engine(), actor.org_id) as session:
    detail = booking_detail(session, actor, chosen)
    allowed = may_change(actor, session, chosen)

panels.show_detail(detail)
if not allowed:
    st.info("You can look at this booking but not change it.")
    panels.show_attachments(detail)
    st.stop()

status_tab, move_tab, reassign_tab, tags_tab, notes_tab, tasks_tab = st.tabs(
    ["Status", "Reschedule", "Reassign", "Tags", "Notes", "Tasks"]
)
with status_tab:
    panels.status_actions(actor, detail)
with move_tab:
    panels.reschedule(actor, detail)
with reassign_tab:
    panels.reassign(actor, detail)
with tags_tab:
    panels.tags(actor, detail)
with notes_tab:
    panels.notes(actor, detail)
with tasks_tab:
    panels.tasks(actor, detail)
