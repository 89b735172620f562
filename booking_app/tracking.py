"""Collect tracking steps during a request and write them after the response is sent."""

from __future__ import annotations

import logging
import secrets
import uuid
from typing import Any

from flask import Flask, Response, current_app, g, request

from booking_app.context import now, org_id
from scheduling.db import tenant_session
from scheduling.db.tenant import TableRows
from scheduling.tracking import TrackedStep, record_steps, tracked_rows

SESSION_COOKIE = "ls_sid"
UTM_COOKIE = "ls_utm"
log = logging.getLogger(__name__)


def visitor_session() -> str:
    """The browser session id (a random cookie, no personal data)."""
    if "ls_sid" not in g:
        g.ls_sid = request.cookies.get(SESSION_COOKIE) or secrets.token_urlsafe(16)
    return str(g.ls_sid)


def utm() -> dict[str, str]:
    """UTM parameters of this visit: from the URL, else remembered from its first page."""
    from_url = {
        k[4:]: request.args[k][:100]
        for k in ("utm_source", "utm_medium", "utm_campaign")
        if request.args.get(k)
    }
    if from_url:
        g.ls_utm = from_url
        return from_url
    remembered = request.cookies.get(UTM_COOKIE, "")
    parts = dict(p.split("=", 1) for p in remembered.split("|") if "=" in p)
    return {k: v for k, v in parts.items() if k in {"source", "medium", "campaign"}}


def track(
    event_type: str,
    *,
    event_id: uuid.UUID | None = None,
    booking_id: uuid.UUID | None = None,
    campaign: dict[str, str] | None = None,
    **metadata: Any,
) -> None:
    """Note a step; it is written after the response, so pages never wait for it. Its UTM
    parameters are the visit's (`utm()`), or `campaign` when the caller has its own (an API
    booking's body carries them)."""
    steps = g.setdefault("ls_steps", [])
    steps.append(
        TrackedStep(
            event_type=event_type,
            created_at=now(),
            session_id=visitor_session(),
            event_id=event_id,
            booking_id=booking_id,
            user_agent=request.user_agent.string,
            referrer=request.referrer,
            utm=campaign or utm(),
            metadata=metadata,
        )
    )


def tracked_so_far() -> list[TableRows]:
    """The steps noted so far, as rows for the statement of the change they describe (a new
    booking's), so they commit with it and the request needs no transaction after it."""
    steps = g.pop("ls_steps", None)
    return [tracked_rows(org_id(), steps)] if steps else []


def _after(response: Response) -> Response:
    steps = g.pop("ls_steps", None)
    if "ls_sid" in g and request.cookies.get(SESSION_COOKIE) != g.ls_sid:
        response.set_cookie(
            SESSION_COOKIE,
            g.ls_sid,
            max_age=1800,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    if "ls_utm" in g:
        value = "|".join(f"{k}={v}" for k, v in g.ls_utm.items())
        response.set_cookie(
            UTM_COOKIE, value, max_age=1800, httponly=True, samesite="Lax", secure=request.is_secure
        )
    if steps:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        tenant = org_id()
        response.call_on_close(lambda: _write(app, tenant, steps))
    return response


def _write(app: Flask, tenant: uuid.UUID, steps: list[TrackedStep]) -> None:
    try:
        with tenant_session(app.extensions["liveschool.engine"], tenant) as session:
            record_steps(session, tenant, steps)
    except Exception:  # tracking must never break a page
        log.exception("could not record %d tracking steps", len(steps))


def init_app(app: Flask) -> None:
    """Write collected steps after each response."""
    app.after_request(_after)
