"""Resources the console's pages share, created once per server process."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from scheduling.config import Config, get_config
from scheduling.db.engine import database_urls, make_engine

# A session may name another database (tests, or an operator switching environments).
DATABASE_KEY = "app_database_url"


@st.cache_resource
def _engine_for(url: str) -> Engine:
    return make_engine(url, pool_size=5, max_overflow=5)


def engine() -> Engine:
    """The application-role engine (row-level security applies)."""
    return _engine_for(st.session_state.get(DATABASE_KEY) or database_urls().app)


# A session may carry its own settings (tests pointing VAR_DIR at a temporary folder).
CONFIG_KEY = "config"


def config() -> Config:
    """The platform's settings, or the session's own."""
    override = st.session_state.get(CONFIG_KEY)
    return override if isinstance(override, Config) else get_config()
