"""The outbox relay: domain events written by a change's transaction become background jobs.

A change writes its events to `oh_outbox` in its own transaction (`events.track_event`, or a
writer's own rows such as the booking statement's); the worker relays them after commit. For
each pending event the handler of its name queues its jobs in the transaction that marks
the event dispatched, so an event's jobs exist exactly once, whichever worker relays it:
rows are claimed `FOR UPDATE SKIP LOCKED`, and two relays never take the same event.

This keeps a request's transaction to its own rows. A new booking used to insert four
message jobs (a confirmation per reader, two reminders), each with procrastinate's event row
and a worker wake-up; relayed, they are queued in batches off the request path, a second or
so after the commit (`OUTBOX_POLL_SECONDS`).

A handler takes all of a batch's events of its name at once (a few queries and one job
insert for hundreds of bookings). When it raises, each event is tried alone in a savepoint,
so the others are dispatched and only the bad one stays pending, with one more attempt
counted; after `MAX_ATTEMPTS` the relay leaves it alone, for somebody to look at. Events
of names with no handler are marked dispatched as they are: nothing needs them relayed (the
warehouse reads the outbox whatever its state).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from scheduling.db import tenant_session
from scheduling.notify.dispatch import queue_new_booking_messages

logger = logging.getLogger(__name__)

# A handler takes a batch of its events' payloads, in the order they occurred.
Handler = Callable[[Session, Sequence[dict[str, Any]], datetime], object]

# What each event name's relay queues; a name not here needs nothing relayed.
HANDLERS: dict[str, Handler] = {"booking.created": queue_new_booking_messages}
MAX_ATTEMPTS = 5
BATCH = 500

# Read by the schema owner, whose policy shows every organisation's pending rows (and only
# those: migration 0016); the partial index on pending rows answers it.
PENDING_ORGS_SQL = text(
    "SELECT DISTINCT org_id FROM oh_outbox WHERE dispatched_at IS NULL AND attempts < :max"
)
CLAIM_SQL = text(
    "SELECT id, name, payload FROM oh_outbox "
    "WHERE org_id = oh_current_org() AND dispatched_at IS NULL AND attempts < :max "
    "ORDER BY occurred_at, id LIMIT :batch FOR UPDATE SKIP LOCKED"
)
DISPATCHED_SQL = text(
    "UPDATE oh_outbox SET dispatched_at = :now, attempts = attempts + 1 "
    "WHERE org_id = oh_current_org() AND id = ANY(:ids)"
)
FAILED_SQL = text(
    "UPDATE oh_outbox SET attempts = attempts + 1 "
    "WHERE org_id = oh_current_org() AND id = ANY(:ids) RETURNING attempts"
)


def pending_organisations(directory: Engine) -> list[uuid.UUID]:
    """The organisations with events to relay (`directory`: the schema owner's engine)."""
    with directory.connect() as conn:
        return list(conn.execute(PENDING_ORGS_SQL, {"max": MAX_ATTEMPTS}).scalars())


def relay_organisation(
    engine: Engine, org_id: uuid.UUID, now: datetime | None = None, *, batch: int = BATCH
) -> int:
    """Relay one batch of `org_id`'s pending events in one transaction; return how many
    were dispatched (a full batch means there may be more)."""
    now = now or datetime.now(UTC)
    with tenant_session(engine, org_id) as session:
        rows = session.execute(CLAIM_SQL, {"max": MAX_ATTEMPTS, "batch": batch}).all()
        by_name: dict[str, list[tuple[uuid.UUID, dict[str, Any]]]] = defaultdict(list)
        for event_id, name, payload in rows:
            by_name[name].append((event_id, payload))
        done: list[uuid.UUID] = []
        failed: list[uuid.UUID] = []
        for name, events in by_name.items():
            ok, bad = _handle(session, name, events, now)
            done += ok
            failed += bad
        if done:
            session.execute(DISPATCHED_SQL, {"now": now, "ids": done})
        if failed:
            attempts = session.execute(FAILED_SQL, {"ids": failed}).scalars().all()
            if any(a >= MAX_ATTEMPTS for a in attempts):
                logger.error(
                    "outbox events of organisation %s gave up after %d attempts",
                    org_id,
                    MAX_ATTEMPTS,
                )
    return len(done)


def _handle(
    session: Session, name: str, events: list[tuple[uuid.UUID, dict[str, Any]]], now: datetime
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Run `name`'s handler on `events` in a savepoint: (dispatched ids, failed ids). When
    the batch fails, each event is tried alone, so one bad event holds up no other."""
    ids = [event_id for event_id, _ in events]
    handler = HANDLERS.get(name)
    if handler is None:
        return ids, []
    try:
        with session.begin_nested():
            handler(session, [payload for _, payload in events], now)
    except Exception:
        if len(events) == 1:
            logger.exception("outbox event %s (%s) failed to relay", ids[0], name)
            return [], ids
        done: list[uuid.UUID] = []
        failed: list[uuid.UUID] = []
        for event in events:
            ok, bad = _handle(session, name, [event], now)
            done += ok
            failed += bad
        return done, failed
    return ids, []


def relay_all(directory: Engine, engine: Engine, now: datetime | None = None) -> int:
    """Relay every organisation's pending events; return how many were dispatched. One
    organisation's failure does not stop the others."""
    total = 0
    for org_id in pending_organisations(directory):
        try:
            while (n := relay_organisation(engine, org_id, now)) > 0:
                total += n
                if n < BATCH:
                    break
        except Exception:
            logger.exception("relaying the outbox of organisation %s failed", org_id)
    return total


async def relay_forever(directory: Engine, engine: Engine, interval: float) -> None:
    """The worker's relay loop: every `interval` seconds, relay whatever is pending."""
    while True:
        try:
            await asyncio.to_thread(relay_all, directory, engine)
        except Exception:  # the loop must outlive a passing database error
            logger.exception("outbox relay failed; trying again")
        await asyncio.sleep(interval)
