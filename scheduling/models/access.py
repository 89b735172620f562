"""Who may do what: roles with permissions and a scope, and the audit log of every write."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, tenant_fk


class Role(TenantMixin, TimestampMixin, Base):
    """A set of permissions (roadmap 7.1) and the scope they apply to: own, team or org."""

    __tablename__ = "oh_roles"
    __table_args__ = (
        UniqueConstraint("org_id", "name"),
        CheckConstraint("scope IN ('own', 'team', 'org')", name="scope"),
    )

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    permissions: Mapped[dict[str, dict[str, bool]]] = mapped_column(JSONB)
    scope: Mapped[str] = mapped_column(String(10), server_default="own")
    is_system: Mapped[bool] = mapped_column(Boolean, server_default="false")


class AuditLog(TenantMixin, Base):
    """One write through the services: who, what, on which entity, before and after."""

    __tablename__ = "oh_audit_logs"
    __table_args__ = (
        Index(None, "org_id", "actor_id", "created_at"),
        Index(None, "org_id", "entity_type", "entity_id"),
        Index(None, "org_id", "action", "created_at"),
        Index(None, "org_id", "created_at"),
    )

    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    old_values: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ConsoleSession(TenantMixin, Base):
    """One console sign-in: the browser's cookie names it; signing out revokes it."""

    __tablename__ = "oh_console_sessions"
    __table_args__ = (
        tenant_fk(["admin_id"], "oh_admins"),
        Index(None, "org_id", "admin_id"),
        CheckConstraint("created_at < expires_at", name="order"),
    )

    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(Text)
