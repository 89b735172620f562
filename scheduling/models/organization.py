"""The tenant: one organisation and everything it owns."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer, String, Uuid, func, text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, new_id


class Organization(Base):
    """An organisation; its `id` is the `org_id` of every row it owns."""

    __tablename__ = "oh_organizations"
    __table_args__ = (
        CheckConstraint("audit_retention_days BETWEEN 30 AND 3650", name="audit_retention"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        Uuid, primary_key=True, default=new_id, server_default=text("gen_random_uuid()")
    )
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), server_default="UTC")
    # How long the audit log keeps its rows; a daily job deletes older ones.
    audit_retention_days: Mapped[int] = mapped_column(Integer, server_default="365")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ConfigVersion(Base):
    """A number that changes with every change to an organisation's event setups (events,
    questions, hosts, schedules): database triggers set it from a sequence nothing resets
    (migration 0015), and the booking face's in-memory setups are valid while it stays the
    same."""

    __tablename__ = "oh_config_versions"

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
