"""People who host and administer, and the teams they form."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, pg_enum, tenant_fk
from scheduling.models.enums import TeamRole


class Admin(TenantMixin, TimestampMixin, Base):
    """A user of the console who may host meetings (roadmap's `oh_admins`)."""

    __tablename__ = "oh_admins"
    __table_args__ = (
        UniqueConstraint("org_id", "email"),
        UniqueConstraint("org_id", "slug"),
        CheckConstraint("max_meetings_per_day IS NULL OR max_meetings_per_day > 0", name="day"),
        CheckConstraint("max_meetings_per_week IS NULL OR max_meetings_per_week > 0", name="week"),
        CheckConstraint("default_buffer_before >= 0 AND default_buffer_after >= 0", name="buffers"),
        tenant_fk(["role_id"], "oh_roles", ondelete=None),
        Index(None, "org_id", "role_id"),
    )

    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320))
    slug: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), server_default="UTC")
    is_host: Mapped[bool] = mapped_column(Boolean, server_default="true")
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    max_meetings_per_day: Mapped[int | None] = mapped_column(Integer, server_default="8")
    max_meetings_per_week: Mapped[int | None] = mapped_column(Integer, server_default="30")
    default_buffer_before: Mapped[int] = mapped_column(Integer, server_default="0")
    default_buffer_after: Mapped[int] = mapped_column(Integer, server_default="15")
    # Console sign-in (roadmap 7.1): role, argon2id hash, lockout after repeated failures.
    role_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Team(TenantMixin, TimestampMixin, Base):
    """A named group of hosts (roadmap 2.2)."""

    __tablename__ = "oh_teams"
    __table_args__ = (UniqueConstraint("org_id", "slug"),)

    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    logo_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")


class TeamMember(TenantMixin, Base):
    """Membership of one admin in one team."""

    __tablename__ = "oh_team_members"
    __table_args__ = (
        UniqueConstraint("org_id", "team_id", "admin_id"),
        tenant_fk(["team_id"], "oh_teams"),
        tenant_fk(["admin_id"], "oh_admins"),
    )

    team_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    admin_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=False)
    role: Mapped[TeamRole] = mapped_column(
        pg_enum(TeamRole, "team_role"), server_default=TeamRole.MEMBER.value
    )
    display_order: Mapped[int] = mapped_column(Integer, server_default="0")
