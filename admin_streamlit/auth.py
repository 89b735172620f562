"""Console sign-in: who is using the console, kept across page refreshes by a signed cookie.

The cookie holds a signed, expiring token naming a console session row
(scheduling.access.sessions); it is written from the browser because Streamlit cannot set
cookies itself. Every run checks the row, so signing out (or deactivating the person) ends
the session in every tab and for any copy of the cookie.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import streamlit as st

from admin_streamlit.state import engine
from scheduling.access import (
    Actor,
    SignInFailed,
    actor_for,
    create_console_session,
    issue_console_token,
    read_console_token,
    revoke_console_session,
    session_holder,
    sign_in,
)
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.public import public_org_id

COOKIE = "ls_console"
ACTOR_KEY = "actor"
SESSION_KEY = "console_session"  # (org id, session id) of this browser's sign-in
_COOKIE_KEY = "console_cookie"  # (value, max-age) the browser should hold


def client_ip() -> str | None:
    """The browser's address when Streamlit knows it."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None


def current_actor() -> Actor | None:
    """The signed-in person, while their console session lives; None otherwise.

    Tests (and nothing a browser can reach) may place an Actor in the session state without
    a console session; that actor is taken as it is."""
    actor = st.session_state.get(ACTOR_KEY)
    held = st.session_state.get(SESSION_KEY)
    if isinstance(actor, Actor) and held is None:
        return actor
    if held is None:
        config = get_config()
        token = st.context.cookies.get(COOKIE) if st.context.cookies else None
        held = token and read_console_token(
            config.resolved_secret_key(), token, config.console_session_hours * 3600
        )
        if not held:
            return None
    org_id, session_id = held
    with tenant_session(engine(), org_id) as session:
        admin_id = session_holder(session, session_id, datetime.now(UTC))
        if admin_id is None:
            st.session_state.pop(ACTOR_KEY, None)
            st.session_state.pop(SESSION_KEY, None)
            return None
        if not (isinstance(actor, Actor) and actor.admin_id == admin_id):
            actor = actor_for(session, admin_id, ip=client_ip(), user_agent=_user_agent())
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SESSION_KEY] = (org_id, session_id)
    return actor


def signed_in() -> Actor:
    """The signed-in person, for pages (which Home.py only routes to after sign-in)."""
    actor = current_actor()
    if actor is None:
        st.error("Please sign in.")
        st.stop()
    return actor


def _user_agent() -> str | None:
    agent = st.context.headers.get("User-Agent") if st.context.headers else None
    return agent or None


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
    # Our own markup only (the token is URL-safe base64): st.iframe runs it same-origin.
    st.iframe(
        f"<script>document.cookie = '{COOKIE}={value}; path=/; max-age={max_age}; "
        "samesite=strict';</script>",
        height=1,
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
    now = datetime.now(UTC)
    try:
        if org_id is None:
            raise SignInFailed("That email and password do not match.")
        actor = sign_in(
            engine(), org_id, email, password, now=now, ip=client_ip(), user_agent=_user_agent()
        )
    except SignInFailed as exc:
        st.error(str(exc))
        return
    hours = get_config().console_session_hours
    with tenant_session(engine(), org_id) as session:
        session_id = create_console_session(
            session, actor, now=now, lifetime=timedelta(hours=hours)
        )
    st.session_state[ACTOR_KEY] = actor
    st.session_state[SESSION_KEY] = (org_id, session_id)
    _remember(org_id, session_id, hours)
    st.rerun()


def _remember(org_id: uuid.UUID, session_id: uuid.UUID, hours: int) -> None:
    token = issue_console_token(get_config().resolved_secret_key(), org_id, session_id)
    _write_cookie(token, hours * 3600)


def sign_out() -> None:
    """End this console session (every tab and cookie copy with it) and forget it here."""
    held = st.session_state.pop(SESSION_KEY, None)
    actor = st.session_state.pop(ACTOR_KEY, None)
    if held is not None and isinstance(actor, Actor):
        org_id, session_id = held
        with tenant_session(engine(), org_id) as session:
            revoke_console_session(session, actor, session_id, now=datetime.now(UTC))
    _write_cookie("", 0)
