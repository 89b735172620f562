"""What happened: attendee behaviour for analytics, and domain events for side effects."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, Text, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base, TenantMixin


class AnalyticsEvent(TenantMixin, Base):
    """One tracked step of an attendee's visit (roadmap 6.1); append-only."""

    __tablename__ = "oh_analytics_events"
    __table_args__ = (
        Index(None, "org_id", "event_type", "created_at"),
        Index(None, "org_id", "event_id", "created_at"),
        Index(None, "org_id", "created_at", "id"),
        Index(None, "org_id", "session_id", "created_at"),
        Index(None, "org_id", "booking_id"),
    )

    event_type: Mapped[str] = mapped_column(String(50))
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    booking_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    session_id: Mapped[str | None] = mapped_column(String(100))
    user_agent: Mapped[str | None] = mapped_column(Text)
    referrer: Mapped[str | None] = mapped_column(String(500))
    utm_source: Mapped[str | None] = mapped_column(String(100))
    utm_medium: Mapped[str | None] = mapped_column(String(100))
    utm_campaign: Mapped[str | None] = mapped_column(String(100))
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONB, server_default=text("'{}'::jsonb")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OutboxMessage(TenantMixin, Base):
    """A domain event written in the transaction that caused it, dispatched after commit."""

    __tablename__ = "oh_outbox"
    __table_args__ = (
        Index(None, "org_id", "occurred_at"),
        Index(
            "ix_oh_outbox_pending",
            "org_id",
            "id",
            postgresql_where=text("dispatched_at IS NULL"),
        ),
    )

    name: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(String(320))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")


class DemoAnswerTopic(Base):
    """Ground truth of the demo generator: the topic each demo answer was written about.

    Kept apart from `oh_answers` so analysts and the pipeline never see it; only the
    clustering evaluation reads it.
    """

    __tablename__ = "oh_demo_answer_topics"

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    answer_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    topic: Mapped[str] = mapped_column(String(100))


class TopicCluster(TenantMixin, Base):
    """One cluster of attendees' free-text questions from one clustering run.

    `scope` is "overall" or "event" (then `event_id` is set); `growth` compares the
    cluster's recent share with its earlier share, and growing clusters are content gaps.
    """

    __tablename__ = "oh_topic_clusters"
    __table_args__ = (
        Index(None, "org_id", "run_id"),
        Index(None, "org_id", "computed_at"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    scope: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    cluster_no: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(255))
    top_terms: Mapped[list[str]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    examples: Mapped[list[str]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    size: Mapped[int] = mapped_column(Integer)
    growth: Mapped[float | None] = mapped_column(Float)
    is_content_gap: Mapped[bool] = mapped_column(Boolean, server_default="false")
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
