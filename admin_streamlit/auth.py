"""Console sign-in: who is using the console, kept across page refreshes by a signed cookie.

The cookie holds a signed, expiring token (scheduling.access.sessions); it is written from
the browser because Streamlit cannot set cookies itself, and read back on every run.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import streamlit as st
import streamlit.components.v1 as components

from admin_streamlit.state import engine
from scheduling.access import Actor, SignInFailed, actor_for, sign_in
from scheduling.access.sessions import issue_console_token, read_console_token
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.public import public_org_id

COOKIE = "ls_console"
ACTOR_KEY = "actor"
_COOKIE_KEY = "console_cookie"  # (value, max-age) the browser should hold


def client_ip() -> str | None:
    """The browser's address when Streamlit knows it."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None


def current_actor() -> Actor | None:
    """The signed-in person, from this session or from a still-valid cookie."""
    actor = st.session_state.get(ACTOR_KEY)
    if isinstance(actor, Actor):
        return actor
    token = st.context.cookies.get(COOKIE) if st.context.cookies else None
    config = get_config()
    found = token and read_console_token(
        config.resolved_secret_key(), token, config.console_session_hours * 3600
    )
    if not found:
        return None
    org_id, admin_id = found
    with tenant_session(engine(), org_id) as session:
        actor = actor_for(session, admin_id, ip=client_ip())
    st.session_state[ACTOR_KEY] = actor
    return actor


def _write_cookie(value: str, max_age: int) -> None:
    """Ask the browser to store the cookie; `keep_cookie` sends the request."""
    st.session_state[_COOKIE_KEY] = (value, max_age)


def keep_cookie() -> None:
    """Render the script that writes the pending cookie, on every run of the session.

    Rendered once and followed by `st.rerun()`, the frame would be torn down before the
    browser ran it (the cookie was sometimes lost that way); drawn on every run, the
    unchanged frame stays mounted and runs exactly once.
    """
    pending = st.session_state.get(_COOKIE_KEY)
    if pending is None:
        return
    value, max_age = pending
    components.html(
        f"<script>document.cookie = '{COOKIE}={value}; path=/; max-age={max_age}; "
        "samesite=strict';</script>",
        height=0,
    )


def sign_in_page() -> None:
    """The sign-in form."""
    st.title("Sign in to LiveSchool")
    config = get_config()
    with st.form("sign_in"):
        org_slug = st.text_input(
            "Organisation",
            value=config.public_org_slug or "",
            help="Leave empty for this installation's organisation.",
        )
        email = st.text_input("Email", key="sign_in_email")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    org_id = public_org_id(engine(), org_slug.strip() or None)
    try:
        if org_id is None:
            raise SignInFailed("That email and password do not match.")
        actor = sign_in(engine(), org_id, email, password, now=datetime.now(UTC), ip=client_ip())
    except SignInFailed as exc:
        st.error(str(exc))
        return
    st.session_state[ACTOR_KEY] = actor
    _remember(org_id, actor.admin_id)
    st.rerun()


def _remember(org_id: uuid.UUID, admin_id: uuid.UUID | None) -> None:
    if admin_id is None:
        return
    config = get_config()
    token = issue_console_token(config.resolved_secret_key(), org_id, admin_id)
    _write_cookie(token, config.console_session_hours * 3600)


def sign_out() -> None:
    """Forget the person in this session and in the browser."""
    st.session_state.pop(ACTOR_KEY, None)
    _write_cookie("", 0)
