"""Roles: the built-ins, custom roles with a permission matrix, and who holds each."""

from __future__ import annotations

import polars as pl
import streamlit as st
from sqlalchemy import func, select

from admin_streamlit.auth import current_actor
from admin_streamlit.state import engine
from scheduling.access import (
    STRUCTURE,
    NotAllowed,
    RoleError,
    can,
    create_role,
    delete_role,
    ensure_builtin_roles,
)
from scheduling.access.permissions import granted
from scheduling.db import tenant_session
from scheduling.models import Admin, Role

actor = current_actor()
assert actor is not None  # the router shows this page to signed-in people only
st.title("Roles")

with tenant_session(engine(), actor.org_id) as session:
    ensure_builtin_roles(session, actor.org_id)
    holders = dict(
        session.execute(select(Admin.role_id, func.count()).group_by(Admin.role_id)).all()
    )
    roles = session.scalars(select(Role).order_by(Role.is_system.desc(), Role.name)).all()
    table = pl.DataFrame(
        [
            {
                "role": r.name,
                "built in": r.is_system,
                "scope": r.scope,
                "people": holders.get(r.id, 0),
                "permissions": ", ".join(sorted(granted(r.permissions))),
            }
            for r in roles
        ]
    )
st.dataframe(table, hide_index=True, use_container_width=True)

if not can(actor, "team.manage", frozenset()):
    st.info("Only administrators can create or delete roles.")
    st.stop()

st.subheader("New custom role")
with st.form("new_role", clear_on_submit=True):
    name = st.text_input("Name", key="role_name")
    scope = st.selectbox(
        "Applies to",
        ["own", "team", "org"],
        key="role_scope",
        format_func={
            "own": "What they host",
            "team": "Their teams'",
            "org": "The whole organisation",
        }.get,
    )
    chosen = set()
    for resource, actions in STRUCTURE.items():
        picked = st.multiselect(resource.title(), actions, key=f"perm_{resource}")
        chosen |= {f"{resource}.{a}" for a in picked}
    if st.form_submit_button("Create role"):
        try:
            with tenant_session(engine(), actor.org_id) as session:
                create_role(session, actor, name, chosen, scope)
            st.success(f"Role {name.strip()!r} created.")
            st.rerun()
        except (RoleError, NotAllowed) as exc:
            st.error(str(exc))

custom = [r for r in roles if not r.is_system]
if custom:
    st.subheader("Delete a custom role")
    doomed = st.selectbox("Role", [r.name for r in custom], key="delete_role")
    if st.button("Delete role", key="delete_role_button"):
        role = next(r for r in custom if r.name == doomed)
        try:
            with tenant_session(engine(), actor.org_id) as session:
                delete_role(session, actor, role.id)
            st.success(f"Role {doomed!r} deleted.")
            st.rerun()
        except (RoleError, NotAllowed) as exc:
            st.error(str(exc))
