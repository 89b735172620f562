"""Audit log: every change, filterable by who, what and when, exportable as CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import polars as pl
import streamlit as st

from admin_streamlit.auth import current_actor
from admin_streamlit.state import engine
from scheduling.access import AuditFilter, NotAllowed, audit_entries
from scheduling.db import tenant_session

actor = current_actor()
assert actor is not None
st.title("Audit log")

left, middle, right = st.columns(3)
who = left.text_input("Actor contains", key="audit_actor")
action = middle.text_input("Action (e.g. booking.cancelled)", key="audit_action")
days = right.date_input(
    "Between", (date.today() - timedelta(days=30), date.today()), key="audit_dates"
)
start, end = days if isinstance(days, tuple) and len(days) == 2 else (days, days)  # type: ignore[misc]
query = AuditFilter(
    actor_label=who or None,
    action=action.strip() or None,
    since=datetime.combine(start, time(), tzinfo=UTC),
    until=datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC),
)
try:
    with tenant_session(engine(), actor.org_id) as session:
        rows = audit_entries(session, actor, query)
except NotAllowed as exc:
    st.error(str(exc))
    st.stop()

frame = pl.DataFrame(
    [
        {
            "when": r.created_at,
            "actor": r.actor_label,
            "action": r.action,
            "entity": f"{r.entity_type} {r.entity_id or ''}".strip(),
            "before": str(r.old_values or ""),
            "after": str(r.new_values or ""),
            "ip": r.ip_address or "",
        }
        for r in rows
    ],
    schema_overrides={"when": pl.Datetime(time_zone="UTC")},
)
st.caption(f"{len(rows)} entries, newest first")
st.dataframe(frame, hide_index=True, use_container_width=True)
st.download_button(
    "Download CSV", frame.write_csv(), file_name="audit-log.csv", mime="text/csv", key="audit_csv"
)
