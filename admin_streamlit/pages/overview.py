"""Overview: platform health and the organisation's headline numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from admin_streamlit.auth import current_actor
from admin_streamlit.state import engine
from scheduling.health import database_health
from scheduling.organizations import org_overview

actor = current_actor()
assert actor is not None
st.title("Overview")

health = database_health(engine())
if health.ok:
    st.success(f"Database connected, schema at migration {health.migration}.")
else:
    st.error(
        health.error
        or f"Database schema at {health.migration}, expected "
        f"{health.expected_migration}: run `liveschool migrate`."
    )
    st.stop()

overview = org_overview(engine(), actor.org_id, datetime.now(UTC))
if overview is None:
    st.info("This organisation has no data yet.")
    st.stop()

st.subheader(overview.name)
hosts, events, upcoming, recent = st.columns(4)
hosts.metric("Hosts", overview.hosts)
events.metric("Active events", overview.active_events)
upcoming.metric("Upcoming bookings", overview.upcoming_bookings)
recent.metric("Booked in the last 30 days", overview.bookings_last_30_days)
