"""Bookkeeping of the public face: rate-limit counters."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, SmallInteger, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models.base import Base


class RateLimitCounter(Base):
    """Requests counted per organisation, bucket (e.g. `booking:ip`) and key, per window, on
    one of several rows (`shard`, chosen by the server process) whose sum is the count, so
    one busy address never queues every request on one row (`oh_count_attempt`, migration
    0017)."""

    __tablename__ = "oh_rate_limits"

    org_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(50), primary_key=True)
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, server_default="0")
    count: Mapped[int] = mapped_column(Integer, server_default="0")
