"""People: invite, set role, zone, personal limits and default buffers, deactivate."""

from __future__ import annotations

import uuid

import polars as pl
import streamlit as st
from sqlalchemy import select

from admin_streamlit.auth import current_actor
from admin_streamlit.forms import clear, field_error, form_error, refuse
from admin_streamlit.state import engine
from scheduling.access import (
    InvalidPerson,
    NotAllowed,
    RoleError,
    assign_role,
    can,
    create_account,
    ensure_builtin_roles,
    update_person,
)
from scheduling.db import tenant_session
from scheduling.models import Admin

actor = current_actor()
assert actor is not None
st.title("People")

with tenant_session(engine(), actor.org_id) as session:
    roles = ensure_builtin_roles(session, actor.org_id)
    people = session.scalars(select(Admin).order_by(Admin.name)).all()
role_names: dict[uuid.UUID | None, str] = {r.id: name for name, r in roles.items()}
role_choices = sorted(roles)
st.dataframe(
    pl.DataFrame(
        [
            {
                "name": p.name,
                "email": p.email,
                "role": role_names.get(p.role_id, "—"),
                "zone": p.timezone,
                "max/day": p.max_meetings_per_day,
                "max/week": p.max_meetings_per_week,
                "buffer before": p.default_buffer_before,
                "buffer after": p.default_buffer_after,
                "active": p.is_active,
            }
            for p in people
        ]
    ),
    hide_index=True,
    width="stretch",
)

if not can(actor, "team.manage"):
    st.info("Only administrators and managers can change people.")
    st.stop()

st.subheader("Invite someone")
INVITE_FIELDS = ("name", "email", "timezone")
with st.form("invite"):
    form_error("invite", INVITE_FIELDS)
    name = st.text_input("Name", key="invite_name")
    field_error("invite", "name")
    email = st.text_input("Email", key="invite_email")
    field_error("invite", "email")
    zone = st.text_input("Time zone", value="UTC", key="invite_zone")
    field_error("invite", "timezone")
    role = st.selectbox(
        "Role", sorted(roles), index=sorted(roles).index("member"), key="invite_role"
    )
    if st.form_submit_button("Invite"):
        try:
            with tenant_session(engine(), actor.org_id) as session:
                create_account(session, actor, name=name, email=email, timezone=zone, role=role)
        except InvalidPerson as exc:
            refuse("invite", exc.errors)
        except (RoleError, NotAllowed) as exc:
            refuse("invite", {"": str(exc)})
        clear("invite")
        st.toast(f"{email.strip().lower()} can now be given a password.")
        for key in ("invite_name", "invite_email"):
            del st.session_state[key]
        st.rerun()

st.subheader("Change someone")
by_label = {f"{p.name} <{p.email}>": p for p in people}
person = by_label[st.selectbox("Person", list(by_label), key="edit_person")]
EDIT_FIELDS = (
    "timezone",
    "max_meetings_per_day",
    "max_meetings_per_week",
    "default_buffer_before",
    "default_buffer_after",
)
with st.form("edit"):
    form_error("edit", EDIT_FIELDS)
    zone = st.text_input("Time zone", value=person.timezone, key="edit_zone")
    field_error("edit", "timezone")
    day = st.number_input(
        "Max meetings a day (0: no limit)",
        min_value=0,
        value=person.max_meetings_per_day or 0,
        key="edit_day",
    )
    field_error("edit", "max_meetings_per_day")
    week = st.number_input(
        "Max meetings a week (0: no limit)",
        min_value=0,
        value=person.max_meetings_per_week or 0,
        key="edit_week",
    )
    field_error("edit", "max_meetings_per_week")
    before = st.number_input(
        "Default buffer before (minutes)", value=person.default_buffer_before, key="edit_before"
    )
    field_error("edit", "default_buffer_before")
    after = st.number_input(
        "Default buffer after (minutes)", value=person.default_buffer_after, key="edit_after"
    )
    field_error("edit", "default_buffer_after")
    new_role = st.selectbox(
        "Role",
        role_choices,
        index=role_choices.index(role_names.get(person.role_id, "member")),
        key="edit_role",
    )
    active = st.checkbox("Active", value=person.is_active, key="edit_active")
    if st.form_submit_button("Save"):
        try:
            with tenant_session(engine(), actor.org_id) as session:
                update_person(
                    session,
                    actor,
                    person.id,
                    timezone=zone.strip(),
                    max_meetings_per_day=int(day) or None,
                    max_meetings_per_week=int(week) or None,
                    default_buffer_before=int(before),
                    default_buffer_after=int(after),
                    is_active=active,
                )
                if new_role is not None and role_names.get(person.role_id) != new_role:
                    assign_role(session, actor, person.id, roles[new_role].id)
        except InvalidPerson as exc:
            refuse("edit", exc.errors)
        except (RoleError, NotAllowed) as exc:
            refuse("edit", {"": str(exc)})
        clear("edit")
        st.toast("Saved.")
        st.rerun()
