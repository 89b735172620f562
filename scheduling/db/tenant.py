"""Tenant context: every transaction of a session runs with `app.org_id` set locally.

`set_config(..., true)` scopes the value to the transaction, so a pooled connection never
carries one organisation's context into another request. Row-level security policies read it
back with `NULLIF(current_setting('app.org_id', true), '')::uuid`.
"""

from __future__ import annotations

import enum
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Connection, Engine, Table, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, SessionTransaction

ORG_KEY = "org_id"
GENERIC_PLANS_KEY = "generic_plans"
BEGIN_READS_KEY = "begin_reads"
BEFORE_BEGIN_KEY = "before_begin"
BEGUN_KEY = "begun"


class TenantRequired(RuntimeError):
    """A tenant-scoped session was opened without an organisation."""


# Sets the organisation for the current transaction only and reads its configuration version
# (migration 0017); with generic_plans, prepared statements keep their generic plan for the
# transaction (see tenant_session). One statement: under load, each one a request sends
# costs its Python process more than the server's work for it.
ENTER_TENANT_SQL = "SELECT oh_enter_tenant(%s, %s)"
VERSION_KEY = "config_version"


def psycopg_params(query: str) -> str:
    """`query` with SQLAlchemy's `:name` parameters in psycopg's `%(name)s` style (`::`
    casts stay; a literal % doubles)."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", query.replace("%", "%%"))


# Transactions begun and ended by statements, on a driver connection in autocommit mode
# (`explicit_transactions`): they wait in a pipeline like any statement.
BEGIN = b"BEGIN"
COMMIT = b"COMMIT"
ROLLBACK = b"ROLLBACK"


@contextmanager
def explicit_transactions(conn: Connection) -> Iterator[None]:
    """Within the block, the idle connection `conn`'s psycopg connection is in autocommit
    mode and its transactions are begun and committed by the statements BEGIN and COMMIT,
    which travel in a pipeline with the statements around them (`_apply_tenant` begins,
    `commit_transaction` commits). Out of autocommit mode, psycopg follows its own BEGIN, and a
    commit() inside a pipeline, with a sync and waits for the reply: a round trip each, six
    for a booking where two carry its statements. The mode is restored once the block's
    transactions have ended; a connection that cannot be restored is invalidated, so the
    pool never hands out one in autocommit mode."""
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)  # the only driver this project uses
    if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise RuntimeError("explicit_transactions needs an idle connection.")
    raw.autocommit = True
    try:
        yield
    finally:
        try:
            if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                raw.rollback()
            raw.autocommit = False
        except psycopg.Error:
            conn.invalidate()


def commit_transaction(raw: psycopg.Connection[Any]) -> None:
    """Commit `raw`'s transaction: as a statement in explicit-transaction mode (it waits in
    the pipeline, if any), else through psycopg."""
    if raw.autocommit:
        raw.execute(COMMIT)
    else:
        raw.commit()


def restart_transaction(session: Session) -> None:
    """Roll back `session`'s transaction, failed or not, and begin another in its organisation
    on the same connection, in one round trip (explicit-transaction mode only: see
    `explicit_transactions`). SQLAlchemy's transaction goes on; only the server's restarts."""
    raw = driver_connection(session)
    if not raw.autocommit:
        raise RuntimeError("restart_transaction needs explicit-transaction mode.")
    with raw.pipeline():
        raw.execute(ROLLBACK)
        raw.execute(BEGIN)
        entered = _enter(raw, session)
    _keep_version(session, entered)


def _enter(raw: psycopg.Connection[Any], session: Session) -> psycopg.Cursor[Any]:
    generic = bool(session.info.get(GENERIC_PLANS_KEY))
    return raw.execute(ENTER_TENANT_SQL, [str(session.info[ORG_KEY]), generic])


def _keep_version(session: Session, entered: psycopg.Cursor[Any]) -> None:
    version = entered.fetchone()
    session.info[VERSION_KEY] = version[0] if version else None


@event.listens_for(Session, "after_begin")
def _apply_tenant(session: Session, _tx: SessionTransaction, conn: Connection) -> None:
    if ORG_KEY not in session.info:
        return
    reads: Mapping[str, tuple[str, Any]] = session.info.get(BEGIN_READS_KEY) or {}
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)  # the only driver this project uses
    before: Callable[[psycopg.Connection[Any]], None] | None = session.info.get(BEFORE_BEGIN_KEY)
    idle = raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if before is not None and not idle:
        raise RuntimeError("The session joined an open transaction: nothing can go first.")
    # Idle, psycopg would send BEGIN, the setting and each read, a round trip each; in a
    # pipeline they travel together.
    with raw.pipeline() if idle else nullcontext():
        if before is not None:
            before(raw)
        if idle and raw.autocommit:  # see explicit_transactions
            raw.execute(BEGIN)
        entered = _enter(raw, session)
        cursors = {key: raw.execute(query, params) for key, (query, params) in reads.items()}
    _keep_version(session, entered)
    session.info[BEGUN_KEY] = {key: cursor.fetchall() for key, cursor in cursors.items()}


def new_session(bind: Engine | Connection) -> Session:
    """A session on `bind` (an engine or one connection) that never expires loaded objects
    on commit. Built directly: a `sessionmaker` per call would make a Session subclass each
    time, and SQLAlchemy sets up event dispatch for every new class (8% of a booking's
    Python time under load, and a registry entry per request)."""
    return Session(bind, expire_on_commit=False)


@contextmanager
def tenant_session(
    engine: Engine | Connection,
    org_id: uuid.UUID,
    *,
    generic_plans: bool = False,
    begin_reads: Mapping[str, tuple[str, Any]] | None = None,
    before_begin: Callable[[psycopg.Connection[Any]], None] | None = None,
) -> Iterator[Session]:
    """One unit of work for `org_id`: commits on success, rolls back on error. On a
    connection (idle, so the session begins and ends its own transaction) it takes no
    connection from the pool.

    `generic_plans`: statements psycopg has prepared (from their fifth run on a connection)
    keep one generic plan instead of being planned again for each run's values. For units
    of work made of key lookups, whose best plan never depends on the values: Postgres
    keeps re-planning a statement whose generic plan *looks* dearer, and the re-check of a
    booking was one (planned on every run: 0.6 ms a booking under load).

    `begin_reads`: name -> (SQL in psycopg's parameter style, parameters), read when the
    transaction begins, in the same round trip as its BEGIN; `begun_rows` gives their rows.
    `before_begin(raw)` queues statements on the idle psycopg connection ahead of the BEGIN,
    in that same round trip (a transaction of their own that commits first, such as a
    rate-limit count: `public.Attempt.queue`).
    """
    if not org_id:
        raise TenantRequired("An organisation is required for this operation.")
    with new_session(engine) as session:
        session.info[ORG_KEY] = org_id
        session.info[GENERIC_PLANS_KEY] = generic_plans
        session.info[BEGIN_READS_KEY] = begin_reads
        session.info[BEFORE_BEGIN_KEY] = before_begin
        with session.begin():
            yield session


def begun_rows(session: Session, key: str) -> list[tuple[Any, ...]] | None:
    """The rows of the begin read `key` of `session`'s transaction (begun if need be); None
    when the session was not asked to read it."""
    session.connection()
    begun: dict[str, list[tuple[Any, ...]]] = session.info.get(BEGUN_KEY) or {}
    return begun.get(key)


def entered_version(session: Session) -> int | None:
    """The configuration version (migration 0015) `session`'s transaction (begun if need be)
    read as it entered its organisation; None when there is none yet, or the session has no
    organisation."""
    session.connection()
    version = session.info.get(VERSION_KEY)
    return None if version is None else int(version)


def driver_connection(session: Session) -> psycopg.Connection[Any]:
    """The psycopg connection under `session`'s transaction (begun if need be)."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)  # a checked-out connection is open
    return raw


def insert_rows(session: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert plain rows (column key -> value; every row the same keys) of `model`'s table
    straight through psycopg: no unit of work, no statement compilation and nothing read
    back, so the statement can wait in a psycopg pipeline. Columns left out take their
    server defaults (ids, timestamps); JSONB values are sent as JSON, enums as their value.
    Through SQLAlchemy Core the same three inserts of a booking were 15% of its Python time.
    """
    if not rows:
        return
    table = cast(Table, model.__table__)
    keys = tuple(rows[0])
    stmt, json_keys = _insert_statement(table, keys)
    params = [[_db_value(row[k], k in json_keys) for k in keys] for row in rows]
    with driver_connection(session).cursor() as cursor:
        if len(params) == 1:
            cursor.execute(stmt, params[0])
        else:
            cursor.executemany(stmt, params)


@functools.cache
def _insert_statement(table: Table, keys: tuple[str, ...]) -> tuple[bytes, frozenset[str]]:
    columns = [table.c[k] for k in keys]
    stmt = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(c.name) for c in columns),
        sql.SQL(", ").join([sql.Placeholder()] * len(columns)),
    )
    # Composed once: a Composed query is quoted again on every execute.
    return stmt.as_bytes(), frozenset(c.key for c in columns if isinstance(c.type, JSONB | JSON))


def _db_value(value: Any, is_json: bool) -> Any:
    if is_json and value is not None:
        return Jsonb(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


@dataclass(frozen=True, slots=True)
class TableRows:
    """Plain rows (column key -> value; every row the same keys) for `model`'s table, to be
    written by a statement that carries them (`rows_insert`)."""

    model: type[Any]
    rows: Sequence[Mapping[str, Any]]

    @property
    def shape(self) -> tuple[Table, tuple[str, ...]]:
        """The table and column keys: what the statement's text depends on."""
        return cast(Table, self.model.__table__), tuple(self.rows[0])

    def document(self) -> str:
        """The rows as the JSON array `rows_insert` reads."""
        return json.dumps(list(self.rows), default=_json_value, separators=(",", ":"))


@functools.cache
def rows_insert(table: Table, keys: tuple[str, ...], param: str) -> str:
    """An INSERT of the rows in the JSON array of parameter `param` (psycopg's style) into
    `table`'s columns `keys`, for a data-modifying CTE of a bigger statement: a write that
    costs no statement of its own. Postgres types each value by its column
    (`jsonb_populate_recordset`); columns left out take their server defaults."""
    names = sql.SQL(", ").join(sql.Identifier(table.c[k].name) for k in keys)
    query = sql.SQL(
        "INSERT INTO {table} ({names}) SELECT {names} "
        "FROM jsonb_populate_recordset(NULL::{table}, CAST({param} AS jsonb))"
    )
    return query.format(
        table=sql.Identifier(table.name), names=names, param=sql.Placeholder(param)
    ).as_string()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no JSON form here")
