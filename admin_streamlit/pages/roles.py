"""Roles: the built-ins (read-only), custom roles with a permission matrix, who holds each."""

from __future__ import annotations

import polars as pl
import streamlit as st
from sqlalchemy import func, select

from admin_streamlit.auth import current_actor
from admin_streamlit.flash import flash, show_flash
from admin_streamlit.forms import clear, field_error, form_error, refuse
from admin_streamlit.state import engine
from scheduling.access import (
    STRUCTURE,
    NotAllowed,
    RoleError,
    can,
    create_role,
    delete_role,
    ensure_builtin_roles,
    update_role,
)
from scheduling.access.permissions import granted
from scheduling.db import tenant_session
from scheduling.models import Admin, Role

SCOPE_LABELS = {"own": "What they host", "team": "Their teams'", "org": "The whole organisation"}
FIELDS = ("name", "description", "scope", "permissions")

actor = current_actor()
assert actor is not None  # the router shows this page to signed-in people only
st.title("Roles")
show_flash()

with tenant_session(engine(), actor.org_id) as session:
    ensure_builtin_roles(session, actor.org_id)
    holders = dict(
        session.execute(select(Admin.role_id, func.count()).group_by(Admin.role_id)).all()
    )
    roles = session.scalars(select(Role).order_by(Role.is_system.desc(), Role.name)).all()
st.dataframe(
    pl.DataFrame(
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
    ),
    hide_index=True,
    width="stretch",
)
manage = can(actor, "team.manage", frozenset())


def matrix(prefix: str, chosen: frozenset[str], disabled: bool) -> set[str]:
    """A checkbox per resource and action; returns the permissions ticked."""
    ticked = set()
    for resource, actions in STRUCTURE.items():
        cells = st.columns([2, *([1] * 4)])
        cells[0].markdown(f"**{resource.title()}**")
        for cell, action in zip(cells[1:], actions, strict=False):
            permission = f"{resource}.{action}"
            if cell.checkbox(
                action,
                value=permission in chosen,
                key=f"{prefix}_{resource}_{action}",
                disabled=disabled,
            ):
                ticked.add(permission)
    return ticked


def role_form(form: str, role: Role | None) -> tuple[str, str, str, set[str]] | None:
    """The fields of a role, filled from `role`; the values once submitted, else None."""
    prefix = f"{form}_{role.id.hex[:8]}" if role else form
    form_error(form, FIELDS)
    with st.form(form):
        name = st.text_input("Name", value=role.name if role else "", key=f"{prefix}_name")
        field_error(form, "name")
        description = st.text_input(
            "Description", value=(role.description or "") if role else "", key=f"{prefix}_desc"
        )
        field_error(form, "description")
        scopes = list(SCOPE_LABELS)
        scope = st.selectbox(
            "Applies to",
            scopes,
            index=scopes.index(role.scope) if role else 0,
            format_func=SCOPE_LABELS.__getitem__,
            key=f"{prefix}_scope",
        )
        field_error(form, "scope")
        st.markdown("**Permissions**")
        chosen = matrix(prefix, granted(role.permissions) if role else frozenset(), False)
        field_error(form, "permissions")
        label = "Save role" if role else "Create role"
        if not st.form_submit_button(label, type="primary"):
            return None
    return name, description, scope, chosen


st.subheader("A role in detail")
by_name = {r.name: r for r in roles}
picked = by_name[st.selectbox("Role", list(by_name), key="role_pick")]
count = holders.get(picked.id, 0)
st.caption(
    f"{picked.description or 'No description.'} Applies to: {SCOPE_LABELS[picked.scope]}. "
    f"Held by {count} {'person' if count == 1 else 'people'}."
)
if picked.is_system or not manage:
    if picked.is_system:
        st.caption("Built-in roles cannot be changed; create a custom role with what you need.")
    matrix(f"view_{picked.id.hex[:8]}", granted(picked.permissions), True)
else:
    values = role_form("edit_role", picked)
    if values is not None:
        name, description, scope, chosen = values
        try:
            with tenant_session(engine(), actor.org_id) as session:
                update_role(
                    session,
                    actor,
                    picked.id,
                    name=name,
                    description=description,
                    scope=scope,
                    granted=chosen,
                )
        except RoleError as exc:
            refuse("edit_role", exc.errors)
        except NotAllowed as exc:
            refuse("edit_role", {"permissions": str(exc)})
        clear("edit_role")
        flash(f"Role {name.strip()!r} saved.", then={"role_pick": name.strip()})
    if count:
        st.caption("Give its holders another role on the People page before deleting it.")
    elif st.button("Delete role", key="delete_role_button"):
        try:
            with tenant_session(engine(), actor.org_id) as session:
                delete_role(session, actor, picked.id)
        except (RoleError, NotAllowed) as exc:
            refuse("edit_role", {"": str(exc)})
        flash(f"Role {picked.name!r} deleted.", ("role_pick",))

if not manage:
    st.info("Only administrators can create, change or delete roles.")
    st.stop()

st.subheader("New custom role")
values = role_form("new_role", None)
if values is not None:
    name, description, scope, chosen = values
    try:
        with tenant_session(engine(), actor.org_id) as session:
            create_role(session, actor, name, chosen, scope, description)
    except RoleError as exc:
        refuse("new_role", exc.errors)
    except NotAllowed as exc:
        refuse("new_role", {"permissions": str(exc)})
    clear("new_role")
    reset = ("new_role_name", "new_role_desc", "new_role_scope")
    boxes = tuple(f"new_role_{r}_{a}" for r, acts in STRUCTURE.items() for a in acts)
    flash(f"Role {name.strip()!r} created.", reset + boxes)
