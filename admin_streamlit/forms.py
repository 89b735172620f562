"""Refused form submissions: each message is shown under the field it concerns.

A page renders its form, and under each widget calls `field_error(FORM, "field")`. When the
service refuses the submission with per-field errors, the page calls `refuse(FORM, errors)`:
the errors are kept in the session and the script reruns, so this time every message appears
next to its field while the widgets keep what the person typed. Nothing was written, because
the service raised before its transaction committed. An error under the key "" (or under a
field the form does not show) appears at the top of the form via `form_error`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import NoReturn, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from admin_streamlit.state import engine
from scheduling.access import NotAllowed
from scheduling.db import tenant_session

T = TypeVar("T")

_KEY = "form_errors:{}"


def refuse(form: str, errors: dict[str, str]) -> NoReturn:
    """Keep `errors` for `form` and rerun the page so they show next to their fields."""
    st.session_state[_KEY.format(form)] = dict(errors)
    st.rerun()


def errors_of(form: str) -> dict[str, str]:
    """The errors of the last refused submission of `form` (empty when there were none)."""
    return dict(st.session_state.get(_KEY.format(form), {}))


def clear(form: str) -> None:
    """Forget `form`'s errors (after a successful submission)."""
    st.session_state.pop(_KEY.format(form), None)


def field_error(form: str, field: str) -> None:
    """Show the error of `field`, if the last submission of `form` had one."""
    message = errors_of(form).get(field)
    if message:
        st.error(message, icon=":material/error:")


def form_error(form: str, fields: tuple[str, ...] = ()) -> None:
    """Show errors that belong to no field shown in the form (`fields`), at its top."""
    for field, message in errors_of(form).items():
        if field not in fields:
            st.error(message, icon=":material/error:")


def attempt(
    org_id: uuid.UUID,
    form: str,
    write: Callable[[Session], T],
    *,
    by_field: tuple[type[Exception], ...],
    refusals: tuple[type[Exception], ...],
    field: str = "",
) -> T:
    """Run `write` in one tenant transaction and return its result, forgetting `form`'s old
    errors. When a service refuses, nothing was committed: errors of the `by_field` types
    (which carry `.errors`, field -> message) go under their fields, other `refusals` under
    `field` (the form's top by default), and the page reruns."""
    try:
        with tenant_session(engine(), org_id) as session:
            result = write(session)
    except by_field as exc:
        refuse(form, exc.errors)  # type: ignore[attr-defined]
    except refusals as exc:
        refuse(form, {field: str(exc)})
    clear(form)
    return result


def read_or_stop(org_id: uuid.UUID, read: Callable[[Session], T]) -> T:
    """What `read` returns from one tenant transaction; when the person may not see it,
    the page says why and stops there."""
    try:
        with tenant_session(engine(), org_id) as session:
            return read(session)
    except NotAllowed as exc:
        st.error(str(exc))
        st.stop()
