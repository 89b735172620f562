"""Per-request access to the engine, the served organisation, the clock and error replies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, current_app, g, jsonify, request
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from scheduling.booking import BookingError, BookingRequest
from scheduling.booking.service import recheck_reads
from scheduling.booking.setup import SETUPS, EventSetup
from scheduling.config import get_config
from scheduling.db import tenant_session
from scheduling.db.tenant import explicit_transactions
from scheduling.public import Attempt, public_org_id


def engine() -> Engine:
    """The application-role engine of this app."""
    return current_app.extensions["liveschool.engine"]  # type: ignore[no-any-return]


def now() -> datetime:
    """The current time (tests replace the clock through the CLOCK config value)."""
    return current_app.config["CLOCK"]()  # type: ignore[no-any-return]


def org_id() -> uuid.UUID:
    """The organisation these pages serve; 404 until one exists."""
    cached = current_app.extensions.get("liveschool.org_id")
    if cached is None:
        slug = current_app.config.get("PUBLIC_ORG_SLUG") or get_config().public_org_slug
        cached = public_org_id(engine(), slug)
        if cached is None:
            abort(404, description="No organisation is set up yet.")
        current_app.extensions["liveschool.org_id"] = cached
    return cached  # type: ignore[no-any-return]


def connection() -> Connection:
    """This request's database connection: taken from the pool once, whatever the request
    does (a rate-limit count, then a unit of work), and given back when it ends."""
    if "ls_connection" not in g:
        # Resolve the organisation first: on a cold cache that takes a connection of its
        # own, and a request must never hold one connection while waiting for another
        # (a burst of requests would exhaust the pool and wait on each other).
        org_id()
        g.ls_connection = engine().connect()
    return g.ls_connection  # type: ignore[no-any-return]


def release_connection(_exc: BaseException | None = None) -> None:
    """Give the request's connection back to the pool (rolling back anything left open)."""
    conn = g.pop("ls_connection", None)
    if conn is not None:
        conn.close()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """A transaction in the served organisation, on the request's connection (units of
    work follow one another; one inside another would join the outer transaction). The
    public face's statements are key lookups: they keep generic plans (see tenant_session).
    Entering the organisation reads its configuration version, so `event_setup` costs no
    query while the setup is unchanged."""
    conn = connection()
    if conn.in_transaction():
        raise RuntimeError("A unit of work is already open on this request's connection.")
    with tenant_session(conn, org_id(), generic_plans=True) as session:
        yield session


@dataclass(frozen=True, slots=True)
class BookingUnit:
    """A unit of work for creating one booking (see `booking_unit`)."""

    session: Session
    rate_limited: bool
    prefetched_for: EventSetup | None


@contextmanager
def booking_unit(slug: str, booking_request: BookingRequest) -> Iterator[BookingUnit]:
    """A unit of work for booking `slug`, begun at once: the attempt's rate-limit count (a
    transaction of its own, committed first, so refused attempts count too), the BEGIN, the
    configuration version and the re-check's read of booked time (when the event's setup is
    known from an earlier request) make one round trip: transactions are begun and committed
    by statements that wait in the pipeline (`explicit_transactions`), so the booking's
    writes and COMMIT make the second and last. Check `rate_limited` first."""
    conn = connection()
    if conn.in_transaction():
        raise RuntimeError("A unit of work is already open on this request's connection.")
    tenant = org_id()
    attempt = Attempt(tenant, booking_limits(booking_request.email), now=now())
    known = SETUPS.peek(conn.engine, tenant, slug)
    reads = recheck_reads(known, booking_request.start) if known else {}
    with (
        explicit_transactions(conn),
        tenant_session(
            conn, tenant, generic_plans=True, begin_reads=reads, before_begin=attempt.queue
        ) as session,
    ):
        session.connection()  # the round trip
        yield BookingUnit(session, attempt.over(), known)


def event_setup(session: Session, slug: str) -> EventSetup:
    """The active event `slug`'s setup, kept in memory while it is unchanged."""
    return SETUPS.setup(session, org_id(), slug)


def error_reply(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> tuple[Any, int]:
    """The one error shape of the API."""
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields is not None:
        body["errors"] = fields
    return jsonify(body), status


def booking_error_reply(exc: BookingError) -> tuple[Any, int]:
    """A service error as an API reply."""
    fields = getattr(exc, "errors", None)
    if fields is None and exc.status == 422:
        fields = {"start": str(exc)}
    return error_reply(exc.status, exc.code, str(exc), fields)


def client_ip() -> str:
    """The caller's address, as the WSGI server saw it."""
    return request.remote_addr or "unknown"


def booking_limits(email: str) -> list[tuple[str, str, int]]:
    """(bucket, key, hourly limit) of one booking attempt: per IP and per email."""
    limits = current_app.config
    return [
        ("booking:ip", client_ip(), limits["BOOKING_LIMIT_PER_IP"]),
        ("booking:email", email.strip().lower(), limits["BOOKING_LIMIT_PER_EMAIL"]),
    ]
