"""Watermarks: how far each source has been copied for each organisation.

A watermark is the greatest (cursor time, id) copied so far. The next extract reads rows
above it, after stepping back by an overlap: `updated_at` is the time a transaction began
(the touch trigger uses now()), so a long transaction can commit rows stamped earlier than
rows already copied. Re-reading the overlap is harmless because changed rows are upserted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True, slots=True, order=True)
class Watermark:
    """A position in a source, ordered like Postgres orders `(cursor, id)` row values."""

    ts: datetime
    id: uuid.UUID


def extract_window(mark: Watermark, overlap: timedelta = DEFAULT_OVERLAP) -> Watermark:
    """Where the next extract starts: rows strictly above this position are read again."""
    return Watermark(mark.ts - overlap, mark.id)


def _as_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, bytes):
        return uuid.UUID(bytes=value)
    return uuid.UUID(str(value))


def next_watermark(previous: Watermark | None, batch: pa.Table, cursor: str) -> Watermark | None:
    """The watermark after copying `batch`: its greatest (cursor, id), never moving back."""
    if batch.num_rows == 0:
        return previous
    times = batch.column(cursor)
    latest = pc.max(times)
    ids = batch.column("id").filter(pc.equal(times, latest))
    if isinstance(ids.type, pa.ExtensionType):
        ids = pa.chunked_array([chunk.storage for chunk in ids.chunks], ids.type.storage_type)
    found = Watermark(latest.as_py(), max(_as_uuid(v) for v in ids.to_pylist()))
    return found if previous is None or found > previous else previous
