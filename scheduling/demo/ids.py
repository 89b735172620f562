"""Stable identifiers: each demo id is a uuid5 of a readable key, so rebuilds give the same ids."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://northwind-learning.example/liveschool-demo")
DEMO_ORG_ID = uuid.uuid5(NAMESPACE, "organization:northwind")


def stable_id(*parts: object) -> uuid.UUID:
    """The demo's id for the thing named by `parts` (kind first, then its key)."""
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))
