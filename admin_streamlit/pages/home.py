"""Home: my upcoming sessions, approvals waiting for me and today's numbers, in my zone."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import streamlit as st

from admin_streamlit.auth import current_actor
from admin_streamlit.state import engine
from scheduling.access import Actor, NotAllowed
from scheduling.booking import BookingError, approve_booking, decline_booking
from scheduling.dashboard import Meeting, home_view
from scheduling.db import tenant_session

actor = current_actor()
assert actor is not None
st.title("Home")
flash = st.session_state.pop("home_flash", None)
if flash:
    st.success(flash)

with tenant_session(engine(), actor.org_id) as session:
    view = home_view(session, actor, datetime.now(UTC))
st.caption(f"Times and “today” are in your zone, {view.zone}.")


def when(meeting: Meeting) -> str:
    """`Mon 30 Nov, 15:00-15:30`, already in the reader's zone."""
    start, end = meeting.starts_at, meeting.ends_at
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M}-{end:%H:%M}"


if view.numbers is not None:
    booked, meetings, cancelled, no_shows = st.columns(4)
    booked.metric("Booked today", view.numbers.booked_today)
    meetings.metric("Meetings today", view.numbers.meetings_today)
    cancelled.metric("Cancelled today", view.numbers.cancelled_today)
    no_shows.metric("No-shows, last 7 days", view.numbers.no_shows_last_7_days)

st.subheader("My next sessions")
if view.upcoming:
    st.dataframe(
        pl.DataFrame(
            [
                {
                    "when": when(m),
                    "event": m.event,
                    "attendee": m.attendee,
                    "email": m.attendee_email,
                    "status": m.status.replace("_", " "),
                }
                for m in view.upcoming
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info("You have no upcoming sessions.")


def decide(me: Actor, meeting: Meeting, approve: bool, reason: str) -> None:
    """Approve or decline in one transaction; the attendee is told by the usual messages."""
    try:
        with tenant_session(engine(), me.org_id) as s:
            if approve:
                approve_booking(s, meeting.booking_id, now=datetime.now(UTC), actor=me)
            else:
                decline_booking(
                    s, meeting.booking_id, now=datetime.now(UTC), actor=me, reason=reason
                )
    except (BookingError, NotAllowed) as exc:
        st.error(str(exc))
        return
    verb = "Approved" if approve else "Declined"
    st.session_state["home_flash"] = f"{verb}: {meeting.event} with {meeting.attendee}."
    st.rerun()


if view.may_decide:
    st.subheader("Waiting for approval")
    if not view.pending:
        st.info("Nothing is waiting for your approval.")
    else:
        reason = st.text_input("Reason when declining (sent to the attendee)", key="home_reason")
        for m in view.pending:
            with st.container(border=True):
                text, yes, no = st.columns([4, 1, 1])
                text.text(f"{m.event} · {when(m)}")  # text, not markdown: attendees typed it
                text.text(f"{m.attendee} <{m.attendee_email}> · host: {m.hosts}")
                if yes.button("Approve", key=f"home_approve_{m.booking_id}", type="primary"):
                    decide(actor, m, True, reason)
                if no.button("Decline", key=f"home_decline_{m.booking_id}"):
                    decide(actor, m, False, reason)
        st.caption("The Bookings page lists every booking with more filters.")
