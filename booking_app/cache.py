"""A short-lived per-process cache of public slot responses.

Safe because slots are only an offer: every booking re-checks its time under locks, so a
response at most SLOTS_CACHE_SECONDS old can only lead to a clean "just taken" reply.
Writes made through this process drop the organisation's entries at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Hashable


class TtlCache:
    """A bounded, thread-safe map whose entries expire after `ttl` seconds."""

    def __init__(self, ttl: float, max_entries: int = 2048) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        """The cached value, unless missing or expired."""
        if self.ttl <= 0:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, value: bytes) -> None:
        """Store `value`, evicting the least recently used entry when full."""
        if self.ttl <= 0:
            return
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def drop_org(self, org_id: uuid.UUID) -> None:
        """Forget every entry of one organisation (keys start with its id)."""
        with self._lock:
            for key in [k for k in self._entries if isinstance(k, tuple) and k[0] == org_id]:
                del self._entries[key]
