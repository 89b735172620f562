"""Resources the console's pages share, created once per server process."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from scheduling.db.engine import database_urls, make_engine


@st.cache_resource
def engine() -> Engine:
    """The application-role engine (row-level security applies)."""
    return make_engine(database_urls().app, pool_size=5, max_overflow=5)
