"""Console entry point: sign-in, then `st.navigation` over the pages this person may see."""

from __future__ import annotations

import streamlit as st

from admin_streamlit.auth import current_actor, keep_cookie, sign_in_page, sign_out
from admin_streamlit.navigation import visible_pages

st.set_page_config(page_title="LiveSchool console", page_icon=":calendar:", layout="wide")

actor = current_actor()
keep_cookie()
if actor is None:
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
else:
    visible = [
        st.Page(page.path, title=page.title, icon=page.icon, default=i == 0)
        for i, page in enumerate(visible_pages(actor))
    ]
    with st.sidebar:
        st.caption(f"Signed in as {actor.label}")
        if st.button("Sign out", key="sign_out"):
            sign_out()
            st.rerun()
    st.navigation(visible).run()
