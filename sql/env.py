"""Alembic environment: runs migrations as the schema owner on the connection it is given."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from scheduling.db.migrate import include_object
from scheduling.models import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `liveschool migrate`, which passes a connection.")
run(connection)
