"""Bookings: filter, look closer, approve or decline, cancel for the attendee, attendance."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import polars as pl
import streamlit as st

from admin_streamlit.auth import current_actor
from admin_streamlit.state import engine
from scheduling.access import NotAllowed, can
from scheduling.booking import (
    BookingError,
    BookingFilter,
    approve_booking,
    cancel_booking,
    decline_booking,
    list_bookings,
    mark_attendance,
    may_change,
)
from scheduling.db import tenant_session
from scheduling.models import Attendance, BookingStatus

actor = current_actor()
assert actor is not None
st.title("Bookings")

left, middle, right = st.columns(3)
status = left.selectbox("Status", ["any", *[s.value for s in BookingStatus]], key="bk_status")
who = middle.text_input("Attendee name or email", key="bk_attendee")
days = right.date_input(
    "Starting between",
    (date.today() - timedelta(days=30), date.today() + timedelta(days=30)),
    key="bk_dates",
)
start, end = days if isinstance(days, tuple) and len(days) == 2 else (days, days)  # type: ignore[misc]
query = BookingFilter(
    status=None if status == "any" else BookingStatus(status),
    attendee=who or None,
    since=datetime.combine(start, time(), tzinfo=UTC),
    until=datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC),
)
try:
    with tenant_session(engine(), actor.org_id) as session:
        rows = list_bookings(session, actor, query)
except NotAllowed as exc:
    st.error(str(exc))
    st.stop()

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
capped = len(rows) == query.limit
st.caption(
    f"The first {len(rows)} bookings; narrow the filters to see the rest."
    if capped
    else f"{len(rows)} bookings"
)
st.dataframe(table, hide_index=True, use_container_width=True)
if can(actor, "bookings.export"):
    st.download_button(
        "Download CSV", table.write_csv(), file_name="bookings.csv", mime="text/csv", key="bk_csv"
    )
if not rows:
    st.stop()

st.subheader("Booking")
labels = {f"{r.starts_at:%Y-%m-%d %H:%M} UTC · {r.event} · {r.attendee}": r for r in rows}
chosen = labels[st.selectbox("Choose a booking", list(labels), key="bk_choice")]
st.write(
    f"**{chosen.event}** with {chosen.hosts}, for {chosen.attendee} "
    f"({chosen.attendee_email}) — status **{chosen.status}**, attendance "
    f"**{chosen.attendance}**."
)


def act(action: str, **kwargs: object) -> None:
    """Run one change in its own transaction and report the outcome."""
    booking_id = uuid.UUID(str(chosen.id))
    now = datetime.now(UTC)
    try:
        with tenant_session(engine(), actor.org_id) as s:
            if action == "approve":
                approve_booking(s, booking_id, now=now, actor=actor)
            elif action == "decline":
                decline_booking(s, booking_id, now=now, actor=actor, reason=str(kwargs["reason"]))
            elif action == "cancel":
                cancel_booking(s, booking_id, now=now, actor=actor, reason=str(kwargs["reason"]))
            else:
                mark_attendance(s, actor, booking_id, Attendance(action), now=now)
        st.success("Done.")
        st.rerun()
    except (BookingError, NotAllowed) as exc:
        st.error(str(exc))


with tenant_session(engine(), actor.org_id) as session:
    allowed = may_change(actor, session, chosen.id)
if not allowed:
    st.info("You can look at this booking but not change it.")
    st.stop()
reason = st.text_input("Reason (sent to the attendee)", key="bk_reason")
buttons = st.columns(5)
if chosen.status == "pending_approval":
    if buttons[0].button("Approve", key="bk_approve", type="primary"):
        act("approve")
    if buttons[1].button("Decline", key="bk_decline"):
        act("decline", reason=reason)
upcoming = chosen.starts_at > datetime.now(UTC)
if (
    upcoming
    and chosen.status in ("confirmed", "pending_approval")
    and buttons[2].button("Cancel booking", key="bk_cancel")
):
    act("cancel", reason=reason)
if chosen.status == "confirmed" and chosen.starts_at <= datetime.now(UTC):
    if buttons[3].button("Attended", key="bk_attended"):
        act("attended")
    if buttons[4].button("No-show", key="bk_no_show"):
        act("no_show")
