"""Email templates: each message's subject and body, for the organisation or one event,
with the variables it may use, a live preview on a sample booking, save and reset."""

from __future__ import annotations

from datetime import UTC, datetime
from operator import attrgetter

import polars as pl
import streamlit as st
from sqlalchemy import select

from admin_streamlit import forms
from admin_streamlit.auth import signed_in
from admin_streamlit.forms import clear, field_error, form_error, refuse
from admin_streamlit.frames import show_email_html
from admin_streamlit.state import engine
from scheduling.access import NotAllowed
from scheduling.db import tenant_session
from scheduling.models import Organization, TemplateKind
from scheduling.notify.editing import (
    InvalidTemplate,
    editable_events,
    may_edit,
    preview_template,
    reset_template,
    template_in_use,
    template_variables,
    templates_in_use,
    update_template,
)

FORM = "template"
ORGANISATION = "Organisation (every event without its own)"
SOURCES = {
    "event": "this event's own template",
    "organisation": "the organisation's template",
    "default": "the default template",
}

actor = signed_in()
st.title("Email templates")
flash = st.session_state.pop("tpl_flash", None)
if flash:
    st.success(flash)

in_use, events, org_editable, org_name = forms.read_or_stop(
    actor.org_id,
    lambda session: (
        templates_in_use(session, actor),
        editable_events(session, actor),
        may_edit(session, actor, None),
        session.scalar(select(Organization.name)) or "",
    ),
)

st.caption(
    "Messages use the event's own template, else the organisation's, else the default. "
    "Templates are plain text with {{ variables }}; the HTML version is made from it."
)
st.dataframe(
    pl.DataFrame(
        [
            {
                "message": t.kind.label,
                "for": t.scope,
                "uses": SOURCES[t.source],
                "subject": t.subject,
                "changed": t.updated_at,
            }
            for t in in_use
        ],
        schema_overrides={"changed": pl.Datetime(time_zone="UTC")},
    ),
    hide_index=True,
    width="stretch",
)

scopes = ({ORGANISATION: None} if org_editable else {}) | {
    f"Event: {e.title} ({e.slug})": e for e in events
}
if not scopes:
    st.info("Only people who can change events can change their email templates.")
    st.stop()

st.subheader("Edit a template")
left, right = st.columns(2)
KINDS: list[TemplateKind] = list(TemplateKind)
kind = left.selectbox("Message", KINDS, format_func=attrgetter("label"), key="tpl_kind")
scope = right.selectbox("Applies to", list(scopes), key="tpl_scope")
event = scopes[scope]
event_id = event.id if event else None
with tenant_session(engine(), actor.org_id) as session:
    current = template_in_use(session, kind, event_id, scope)

selection = f"{kind.value}:{event_id}"
if st.session_state.get("tpl_loaded") != selection:  # a new choice: load what it uses now
    st.session_state["tpl_subject"] = current.subject
    st.session_state["tpl_body"] = current.body
    st.session_state["tpl_loaded"] = selection
    clear(FORM)

where = " for this event" if event else ""
st.caption(f"{kind.label} messages{where} use {SOURCES[current.source]} now.")
form_error(FORM, ("subject", "body"))
editor, helper = st.columns([3, 2])
with editor:
    subject = st.text_input("Subject", key="tpl_subject")
    field_error(FORM, "subject")
    body = st.text_area("Body", key="tpl_body", height=380)
    field_error(FORM, "body")
    save_col, reset_col = st.columns(2)
    save = save_col.button("Save", type="primary", key="tpl_save")
    fallback = "the default" if event is None else "the organisation's template"
    reset = current.is_custom_here and reset_col.button(f"Reset to {fallback}", key="tpl_reset")
with helper:
    st.markdown("**Variables** for this message")
    st.dataframe(
        pl.DataFrame(
            [
                {"variable": f"{{{{ {v.name} }}}}", "holds": v.meaning, "sample": v.example}
                for v in template_variables(kind, datetime.now(UTC))
            ]
        ),
        hide_index=True,
        width="stretch",
        height=380,
    )

if save:
    try:
        with tenant_session(engine(), actor.org_id) as session:
            update_template(session, actor, kind, event_id, subject, body)
    except InvalidTemplate as exc:
        refuse(FORM, exc.errors)
    except NotAllowed as exc:
        refuse(FORM, {"": str(exc)})
    clear(FORM)
    st.session_state.pop("tpl_loaded")
    st.session_state["tpl_flash"] = f"Saved: {kind.label} messages now use this template."
    st.rerun()
if reset:
    try:
        with tenant_session(engine(), actor.org_id) as session:
            reset_template(session, actor, kind, event_id)
    except InvalidTemplate as exc:
        refuse(FORM, exc.errors)
    except NotAllowed as exc:
        refuse(FORM, {"": str(exc)})
    st.session_state.pop("tpl_loaded")
    st.session_state["tpl_flash"] = f"{kind.label} messages use {fallback} again."
    st.rerun()

st.subheader("Preview")
reader = st.radio("Read as", ["Attendee", "Host"], horizontal=True, key="tpl_reader")
try:
    preview = preview_template(
        kind,
        subject,
        body,
        as_host=reader == "Host",
        now=datetime.now(UTC),
        organization=org_name,
        event_title=event.title if event else "Portfolio Review",
        duration_minutes=event.duration_minutes if event else 30,
    )
except InvalidTemplate as exc:
    st.warning("The preview appears once the template has no problems.")
    for message in exc.errors.values():
        st.caption(message)
else:
    st.caption("A sample booking; nothing is sent.")
    st.text(f"Subject: {preview.subject}")
    as_html, as_text = st.tabs(["HTML", "Plain text"])
    with as_html:
        show_email_html(preview.html, title="Preview of the HTML message")
    with as_text:
        st.code(preview.text, language=None, wrap_lines=True)
