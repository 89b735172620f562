"""The OpenAPI 3.1 document, assembled from what each API view declares about itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

OPERATIONS: list[dict[str, Any]] = []

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
        "errors": {
            "type": "object",
            "description": "Field name to message, for invalid input (422).",
            "additionalProperties": {"type": "string"},
        },
    },
}

SLOT = {
    "type": "object",
    "required": ["start", "end", "seats_remaining"],
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "seats_remaining": {"type": "integer"},
    },
}

EVENT = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": ["string", "null"]},
        "duration_minutes": {"type": "integer"},
        "meeting_type": {"enum": ["one_on_one", "group", "collective", "round_robin", "panel"]},
        "display_timezone": {"type": "string"},
        "lock_timezone": {"type": "boolean"},
        "allow_guests": {"type": "boolean"},
        "guest_limit": {"type": "integer"},
        "hosts": {"type": "array", "items": {"type": "object"}},
        "questions": {"type": "array", "items": {"type": "object"}},
    },
}

BOOKING = {
    "type": "object",
    "required": ["uid", "status", "start", "end", "timezone", "hosts", "manage_url"],
    "properties": {
        "uid": {"type": "string", "format": "uuid"},
        "status": {"enum": ["confirmed", "pending_approval", "cancelled", "rescheduled"]},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "timezone": {"type": "string"},
        "hosts": {"type": "array", "items": {"type": "string"}},
        "manage_url": {"type": "string", "format": "uri"},
    },
}

BOOKING_REQUEST = {
    "type": "object",
    "required": ["start", "timezone", "name", "email"],
    "properties": {
        "start": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601; without an offset it is read in `timezone`.",
        },
        "timezone": {"type": "string", "description": "The attendee's IANA zone."},
        "name": {"type": "string", "maxLength": 255},
        "email": {"type": "string", "format": "email"},
        "guests": {"type": "array", "items": {"type": "string", "format": "email"}},
        "answers": {"type": "object", "description": "Question id to answer."},
        "phone": {"type": "string"},
        "utm": {
            "type": "object",
            "properties": {
                "source": {"type": "string"},
                "medium": {"type": "string"},
                "campaign": {"type": "string"},
            },
        },
    },
}


def error_responses(*codes: int) -> dict[str, Any]:
    """Standard error responses, all with the one error shape."""
    text = {
        400: "Malformed request",
        401: "Missing token",
        403: "Token not valid",
        404: "Not found",
        409: "Conflict (the time was just taken)",
        422: "Invalid input",
        429: "Too many requests",
    }
    return {
        str(c): {
            "description": text[c],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for c in codes
    }


def documented(path: str, method: str, **operation: Any) -> Callable[[F], F]:
    """Record a view's OpenAPI operation (path in OpenAPI syntax, e.g. /events/{slug})."""

    def register(view: F) -> F:
        OPERATIONS.append(
            {
                "path": path,
                "method": method.lower(),
                "operation": {"operationId": view.__name__, **operation},
            }
        )
        return view

    return register


def openapi_document(server_url: str) -> dict[str, Any]:
    """The whole document for this server."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op["path"], {})[op["method"]] = op["operation"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "LiveSchool Scheduling public API",
            "version": "1.0.0",
            "description": "Book, reschedule and cancel meetings. Times are ISO 8601 with "
            "offsets; errors share one shape.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": ERROR,
                "Slot": SLOT,
                "Event": EVENT,
                "Booking": BOOKING,
                "BookingRequest": BOOKING_REQUEST,
            },
            "securitySchemes": {
                "manageToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The booking's self-service token.",
                }
            },
        },
    }


def json_body(schema_ref: str) -> dict[str, Any]:
    """A JSON request body of the named component schema."""
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}},
    }


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON response."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}
