"""Audit log: every change, filterable by who, what and when, exportable as CSV; how long
entries are kept (a nightly job deletes older ones)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import streamlit as st

from admin_streamlit import forms
from admin_streamlit.auth import signed_in
from admin_streamlit.forms import clear, field_error, form_error, refuse
from admin_streamlit.state import config, engine
from admin_streamlit.widgets import date_span
from scheduling.access import (
    AuditFilter,
    InvalidRetention,
    NotAllowed,
    audit_entries,
    audit_retention_days,
    purge_audit_logs,
    set_audit_retention,
)
from scheduling.access.tasks import purge_schedule
from scheduling.db import tenant_session

RETENTION = "retention"

actor = signed_in()
st.title("Audit log")
flash = st.session_state.pop("audit_flash", None)
if flash:
    st.success(flash)

left, middle, right = st.columns(3)
who = left.text_input("Actor contains", key="audit_actor")
action = middle.text_input("Action (e.g. booking.cancelled)", key="audit_action")
default = (date.today() - timedelta(days=30), date.today())
since, until = date_span(right.date_input("Between", default, key="audit_dates"), default)
query = AuditFilter(
    actor_label=who or None,
    action=action.strip() or None,
    since=since,
    until=until,
)
rows = forms.read_or_stop(actor.org_id, lambda session: audit_entries(session, actor, query))

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
st.dataframe(frame, hide_index=True, width="stretch")
st.download_button(
    "Download CSV", frame.write_csv(), file_name="audit-log.csv", mime="text/csv", key="audit_csv"
)

st.subheader("Retention")
with tenant_session(engine(), actor.org_id) as session:
    kept = audit_retention_days(session)
st.caption(
    f"Entries older than {kept} days are deleted {purge_schedule(config())}; each purge "
    "leaves one entry (audit.purged) saying how many went."
)
form_error(RETENTION, ("audit_retention_days",))
with st.form(RETENTION):
    keep = st.number_input(
        "Keep entries for (days, 30 to 3650)", value=kept, step=1, key="audit_days"
    )
    field_error(RETENTION, "audit_retention_days")
    save = st.form_submit_button("Save retention")
if save:
    try:
        with tenant_session(engine(), actor.org_id) as session:
            set_audit_retention(session, actor, int(keep))
    except InvalidRetention as exc:
        refuse(RETENTION, exc.errors)
    except NotAllowed as exc:
        refuse(RETENTION, {"": str(exc)})
    clear(RETENTION)
    st.session_state["audit_flash"] = f"Entries are now kept for {int(keep)} days."
    st.rerun()
if st.button(f"Purge entries older than {kept} days now", key="audit_purge"):
    with tenant_session(engine(), actor.org_id) as session:
        gone = purge_audit_logs(session, actor, datetime.now(UTC))
    noun = "entry" if gone == 1 else "entries"
    st.session_state["audit_flash"] = (
        f"Deleted {gone} {noun} older than {kept} days." if gone else "Nothing was old enough."
    )
    st.rerun()
