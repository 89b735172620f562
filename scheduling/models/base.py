"""Declarative base and the shapes every tenant table shares."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKeyConstraint, MetaData, Uuid, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; constraint names are stable so migrations can refer to them."""

    metadata = MetaData(naming_convention=NAMING)


def new_id() -> uuid.UUID:
    """A random primary key, made in Python so related rows can be built before a flush."""
    return uuid.uuid4()


class TenantMixin:
    """`org_id` first, then `id`: the composite primary key every tenant table shares."""

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, sort_order=-20)
    id: Mapped[uuid.UUID] = mapped_column(
        Uuid,
        primary_key=True,
        default=new_id,
        server_default=text("gen_random_uuid()"),
        sort_order=-10,
    )


class TimestampMixin:
    """`created_at` set on insert, `updated_at` kept current by a database trigger."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), sort_order=100
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), sort_order=101
    )


def tenant_fk(
    columns: list[str], table: str, ondelete: str | None = "CASCADE"
) -> ForeignKeyConstraint:
    """A foreign key that keeps `org_id` in the key, so a row can only point inside its tenant."""
    return ForeignKeyConstraint(
        ["org_id", *columns], [f"{table}.org_id", f"{table}.id"], ondelete=ondelete
    )


def pg_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A Postgres enum type that stores the Python enum's values."""
    return Enum(enum_cls, name=name, values_callable=lambda e: [m.value for m in e])
