"""Editable message templates; an event's own template overrides the organisation's."""

from __future__ import annotations

import uuid

from sqlalchemy import String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin, TimestampMixin, pg_enum, tenant_fk
from scheduling.models.enums import TemplateKind


class EmailTemplate(TenantMixin, TimestampMixin, Base):
    """Subject and body (sandboxed Jinja) of one kind of message."""

    __tablename__ = "oh_email_templates"
    __table_args__ = (
        tenant_fk(["event_id"], "oh_events"),
        UniqueConstraint("org_id", "event_id", "kind", postgresql_nulls_not_distinct=True),
    )

    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    kind: Mapped[TemplateKind] = mapped_column(pg_enum(TemplateKind, "template_kind"))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
