"""Console entry point: sign-in, then `st.navigation` over the pages this person may see."""

from __future__ import annotations

import streamlit as st

from admin_streamlit.auth import current_actor, keep_cookie, sign_in_page, sign_out
from scheduling.access import can

st.set_page_config(page_title="LiveSchool console", page_icon=":calendar:", layout="wide")

# (file, title, icon, permission needed to see it; None: everyone signed in)
PAGES: list[tuple[str, str, str, str | None]] = [
    ("pages/home.py", "Home", ":material/home:", None),
    ("pages/overview.py", "Overview", ":material/dashboard:", None),
    ("pages/bookings.py", "Bookings", ":material/event_available:", "bookings.read"),
    ("pages/events.py", "Events", ":material/event_note:", "events.read"),
    ("pages/people.py", "People", ":material/group:", "team.view"),
    ("pages/availability.py", "Availability", ":material/schedule:", "events.read"),
    ("pages/roles.py", "Roles", ":material/badge:", "team.view"),
    ("pages/audit.py", "Audit log", ":material/policy:", "team.manage"),
    ("pages/analytics.py", "Analytics", ":material/insights:", "analytics.view"),
    ("pages/templates.py", "Email templates", ":material/mail:", "events.update"),
    ("pages/mailbox.py", "Mailbox", ":material/inbox:", "team.manage"),
]

# Pages whose permission must reach the whole organisation (a manager's team.manage covers
# their teams only): the audit log and the mailbox show everyone's data.
ORG_WIDE = {"pages/audit.py", "pages/mailbox.py"}

actor = current_actor()
keep_cookie()
if actor is None:
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
else:
    visible = [
        st.Page(path, title=title, icon=icon, default=i == 0)
        for i, (path, title, icon, permission) in enumerate(PAGES)
        if permission is None or can(actor, permission, frozenset() if path in ORG_WIDE else None)
    ]
    with st.sidebar:
        st.caption(f"Signed in as {actor.label}")
        if st.button("Sign out", key="sign_out"):
            sign_out()
            st.rerun()
    st.navigation(visible).run()
