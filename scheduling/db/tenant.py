"""Tenant context: every transaction of a session runs with `app.org_id` set locally.

`set_config(..., true)` scopes the value to the transaction, so a pooled connection never
carries one organisation's context into another request. Row-level security policies read it
back with `NULLIF(current_setting('app.org_id', true), '')::uuid`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

ORG_KEY = "org_id"


class TenantRequired(RuntimeError):
    """A tenant-scoped session was opened without an organisation."""


def set_tenant(conn: Connection, org_id: uuid.UUID | None) -> None:
    """Set the organisation for the current transaction of `conn` only."""
    conn.execute(
        text("SELECT set_config('app.org_id', :org, true)"),
        {"org": str(org_id) if org_id else ""},
    )


@event.listens_for(Session, "after_begin")
def _apply_tenant(session: Session, _tx: SessionTransaction, conn: Connection) -> None:
    if ORG_KEY in session.info:
        set_tenant(conn, session.info[ORG_KEY])


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine` that never expire loaded objects on commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def tenant_session(engine: Engine, org_id: uuid.UUID) -> Iterator[Session]:
    """One unit of work for `org_id`: commits on success, rolls back on error."""
    if not org_id:
        raise TenantRequired("An organisation is required for this operation.")
    with session_factory(engine)() as session:
        session.info[ORG_KEY] = org_id
        with session.begin():
            yield session
