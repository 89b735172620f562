"""What the catalogue services refuse, each with a code and a message a person can read."""

from __future__ import annotations


class CatalogError(Exception):
    """Base of catalogue errors; `code` is stable for APIs, `str()` is for people."""

    code, status = "catalog_error", 400


class InvalidEvent(CatalogError, ValueError):
    """Field problems in an event, its hosts, questions, resources or sessions.

    `errors` maps each field (the names the console's widgets use, e.g. "title",
    "questions.2.label") to one message. Raised before anything is written.
    """

    code, status = "invalid_event", 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class EventMissing(CatalogError, LookupError):
    """No event (or session) with that id in this organisation."""

    code, status = "event_not_found", 404
