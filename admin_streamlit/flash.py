"""A message that survives the rerun after a successful change ("Booking moved.")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import streamlit as st

_KEY = "flash_message"
_RESET = "flash_reset"
_SET = "flash_set"


def flash(
    message: str, reset: tuple[str, ...] = (), then: Mapping[str, Any] | None = None
) -> NoReturn:
    """Keep `message` for the next run and rerun the page (which shows it at the top).

    On that run the widgets keyed in `reset` start empty again (a form's fields after it was
    saved) and those in `then` start with the given values (e.g. the item just renamed).
    """
    st.session_state[_KEY] = message
    st.session_state[_RESET] = reset
    st.session_state[_SET] = dict(then or {})
    st.rerun()


def show_flash() -> None:
    """Show the message of the change that caused this run, once. Call it before any
    widget, so the fields to reset are not drawn yet."""
    for key in st.session_state.pop(_RESET, ()):
        st.session_state.pop(key, None)
    for key, value in st.session_state.pop(_SET, {}).items():
        st.session_state[key] = value
    message = st.session_state.pop(_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")
