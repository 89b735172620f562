"""Bookkeeping of the public face: rate-limit counters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base


class RateLimitCounter(Base):
    """Requests counted per organisation, bucket (e.g. `booking:ip`) and key, per window."""

    __tablename__ = "oh_rate_limits"

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(50), primary_key=True)
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, server_default="0")
