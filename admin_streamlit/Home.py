"""Console entry point: `st.navigation` over the pages this user may see."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="LiveSchool console", page_icon=":calendar:", layout="wide")

pages = [st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True)]
st.navigation(pages).run()
