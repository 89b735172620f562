"""The platform's health as data: can we reach the database, and is its schema current?"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine

from scheduling.db.engine import DatabaseError, check_connection
from scheduling.db.migrate import current_revision, head_revision


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    """What a health probe reports about the database."""

    connected: bool
    migration: str | None
    expected_migration: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Reachable and migrated to the revision this code expects."""
        return self.connected and self.migration == self.expected_migration

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the verdict."""
        return {**asdict(self), "ok": self.ok}


def database_health(engine: Engine) -> DatabaseHealth:
    """Probe the database with the application's own role."""
    head = head_revision()
    try:
        check_connection(engine)
        return DatabaseHealth(True, current_revision(engine), head)
    except DatabaseError as exc:
        return DatabaseHealth(False, None, head, error=str(exc))
