"""Public REST API v1: slots, bookings, attendee self-service, and its OpenAPI document."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from booking_app import openapi as oa
from booking_app.cache import TtlCache
from booking_app.context import (
    booking_error_reply,
    booking_unit,
    error_reply,
    event_setup,
    now,
    org_id,
    unit_of_work,
)
from booking_app.tracking import track, tracked_so_far
from scheduling.booking import (
    BookingError,
    BookingRequest,
    InvalidBooking,
    cancel_booking,
    create_booking,
    get_event,
    list_slots,
    reschedule_booking,
    verify_attendee,
)
from scheduling.booking.queries import (
    EventDetails,
    booking_host_names,
    event_details,
    local_days,
    slots_by_day,
)
from scheduling.booking.validation import valid_timezone
from scheduling.db.tenant import TableRows

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_RANGE_DAYS = 62
UID_PARAM = {
    "name": "uid",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}


def event_json(details: EventDetails) -> dict[str, Any]:
    """The public description of an event."""
    e = details.event
    return {
        "slug": e.slug,
        "title": e.title,
        "description": e.description,
        "duration_minutes": e.duration_minutes,
        "meeting_type": e.meeting_type.value,
        "location_type": e.location_type.value,
        "display_timezone": e.display_timezone,
        "lock_timezone": e.lock_timezone,
        "allow_guests": e.allow_guests,
        "guest_limit": e.guest_limit,
        "booking_window_days": e.booking_window_days,
        "min_notice_hours": e.min_notice_hours,
        "require_approval": e.require_approval,
        "hosts": [{"name": h.name, "slug": h.slug} for h in details.hosts],
        "questions": [
            {
                "id": str(q.id),
                "label": q.label,
                "type": q.question_type.value,
                "required": q.required,
                "options": q.options,
                "help": q.help_text,
            }
            for q in details.questions
        ],
    }


def _parse_date(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Use a date like 2026-12-01." if raw else "This parameter is required."
        return None


@bp.get("/public/events/<slug>/slots")
@oa.documented(
    "/public/events/{slug}/slots",
    "get",
    summary="Bookable times of an event, grouped by day in the requested zone",
    parameters=[
        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
        {
            "name": "start",
            "in": "query",
            "required": True,
            "schema": {"type": "string", "format": "date"},
        },
        {
            "name": "end",
            "in": "query",
            "required": True,
            "schema": {"type": "string", "format": "date"},
        },
        {
            "name": "timezone",
            "in": "query",
            "schema": {"type": "string"},
            "description": "IANA zone; default: the event's display zone",
        },
    ],
    responses={
        "200": oa.json_response(
            "Slots by day",
            {
                "type": "object",
                "properties": {
                    "event": {"$ref": "#/components/schemas/Event"},
                    "timezone": {"type": "string"},
                    "days": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Slot"},
                        },
                    },
                },
            },
        ),
        **oa.error_responses(404, 422),
    },
)
def slots(slug: str) -> tuple[Any, int]:
    """Slots between two local dates (briefly cached per process, see booking_app.cache)."""
    key = (
        org_id(),
        slug,
        request.args.get("start"),
        request.args.get("end"),
        request.args.get("timezone"),
    )
    cached = slots_cache().get(key)
    if cached is not None:
        return current_app.response_class(cached, mimetype="application/json"), 200
    response, status = _slots(slug)
    if status == 200:
        slots_cache().put(key, response.get_data())
    return response, status


def slots_cache() -> TtlCache:
    """This app's slots cache."""
    return current_app.extensions["liveschool.slots_cache"]  # type: ignore[no-any-return]


def _slots(slug: str) -> tuple[Any, int]:
    errors: dict[str, str] = {}
    start, end = _parse_date("start", errors), _parse_date("end", errors)
    with unit_of_work() as session:
        try:
            event = get_event(session, slug=slug)
        except BookingError as exc:
            return booking_error_reply(exc)
        zone = request.args.get("timezone") or event.display_timezone
        if not valid_timezone(zone):
            errors["timezone"] = f"Unknown time zone {zone!r}."
        if start and end and end < start:
            errors["end"] = "The end date is before the start date."
        elif start and end and (end - start).days > MAX_RANGE_DAYS:
            errors["end"] = f"Ask for at most {MAX_RANGE_DAYS} days at a time."
        if errors or start is None or end is None:
            return error_reply(422, "invalid_request", "Some parameters are not valid.", errors)
        lo, hi = local_days(start, end, zone)
        found = list_slots(session, event, lo, hi, now=now())
        details = event_details(session, event)
    tz = ZoneInfo(zone)
    days = {
        day.isoformat(): [
            {
                "start": s.start.astimezone(tz).isoformat(),
                "end": s.end.astimezone(tz).isoformat(),
                "seats_remaining": s.seats_remaining,
            }
            for s in day_slots
        ]
        for day, day_slots in slots_by_day(found, zone).items()
    }
    return jsonify(event=event_json(details), timezone=zone, days=days), 200


def _booking_request(body: dict[str, Any]) -> BookingRequest:
    """The JSON body as a BookingRequest; raises InvalidBooking for malformed fields."""
    errors: dict[str, str] = {}
    zone = str(body.get("timezone") or "")
    if not valid_timezone(zone):
        errors["timezone"] = f"Unknown time zone {zone!r}." if zone else "This field is required."
    start = _parse_start(body.get("start"), zone if "timezone" not in errors else "UTC", errors)
    guests = body.get("guests") or []
    if not isinstance(guests, list) or not all(isinstance(g, str) for g in guests):
        errors["guests"] = "Give guests as a list of email addresses."
    answers = body.get("answers") or {}
    utm = body.get("utm") or {}
    if not isinstance(answers, dict):
        errors["answers"] = "Give answers as an object of question id to answer."
    if not isinstance(utm, dict):
        errors["utm"] = "Give utm as an object."
    for field in ("name", "email"):
        if not isinstance(body.get(field), str) or not body[field].strip():
            errors[field] = "This field is required."
    if errors or start is None:
        raise InvalidBooking(errors)
    return BookingRequest(
        start=start,
        name=body["name"],
        email=body["email"],
        timezone=zone,
        guests=tuple(guests),
        answers=answers,
        phone=body.get("phone") or None,
        idempotency_key=request.headers.get("Idempotency-Key") or None,
        source="api",
        referrer=(request.referrer or "")[:500] or None,
        utm={k: str(v)[:100] for k, v in utm.items() if k in {"source", "medium", "campaign"}},
    )


def _parse_start(raw: Any, zone: str, errors: dict[str, str]) -> datetime | None:
    try:
        start = datetime.fromisoformat(str(raw))
    except ValueError:
        errors["start"] = "Use an ISO 8601 time like 2026-12-01T10:00:00-05:00."
        return None
    return start if start.tzinfo else start.replace(tzinfo=ZoneInfo(zone))


def booking_json(booking: Any, hosts: list[str], zone: str, token: str) -> dict[str, Any]:
    """The public view of a booking, times in the attendee's zone."""
    tz = ZoneInfo(zone)
    return {
        "uid": str(booking.id),
        "status": booking.status.value,
        "start": booking.starts_at.astimezone(tz).isoformat(),
        "end": booking.ends_at.astimezone(tz).isoformat(),
        "timezone": zone,
        "hosts": hosts,
        "manage_url": url_for("pages.manage", uid=booking.id, token=token, _external=True),
    }


@bp.post("/public/events/<slug>/bookings")
@oa.documented(
    "/public/events/{slug}/bookings",
    "post",
    summary="Book a time; send Idempotency-Key to make retries safe",
    parameters=[
        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
    ],
    requestBody=oa.json_body("BookingRequest"),
    responses={
        "201": oa.json_response("Booked", {"$ref": "#/components/schemas/Booking"}),
        **oa.error_responses(400, 404, 409, 422, 429),
    },
)
def create(slug: str) -> tuple[Any, int] | Any:
    """Create a booking."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_reply(400, "malformed_json", "Send a JSON object.")
    try:
        booking_request = _booking_request(body)
        with booking_unit(slug, booking_request) as unit:
            if unit.rate_limited:
                reply = error_reply(
                    429, "rate_limited", "Too many bookings from here; please try again later."
                )
                reply[0].headers["Retry-After"] = "3600"
                return reply
            session = unit.session
            result = create_booking(
                session,
                org_id(),
                event_setup(session, slug),
                booking_request,
                now=now(),
                actor=booking_request.email,
                also_write=_track_completed,
                commit=True,
                prefetched_for=unit.prefetched_for,
            )
    except BookingError as exc:
        return booking_error_reply(exc)
    slots_cache().drop_org(result.booking.org_id)
    response = jsonify(
        booking_json(
            result.booking, list(result.host_names), booking_request.timezone, result.manage_token
        )
    )
    response.headers["Idempotent-Replayed"] = "true" if result.replayed else "false"
    return response, 201


def _track_completed(booking: Any) -> list[TableRows]:
    """The completion step, with the campaign the request's body gave the booking, if any."""
    track(
        "booking_completed", event_id=booking.event_id, booking_id=booking.id, campaign=booking.utm
    )
    return tracked_so_far()


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _self_service(uid: str, action: Any) -> tuple[Any, int]:
    token = _bearer()
    if not token:
        return error_reply(401, "missing_token", "Send the booking's token as a Bearer token.")
    try:
        booking_id = uuid.UUID(uid)
    except ValueError:
        return error_reply(404, "booking_not_found", "We could not find that booking.")
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        return error_reply(400, "malformed_json", "Send a JSON object.")
    try:
        with unit_of_work() as session:
            booking = verify_attendee(session, booking_id, token)
            reply = action(session, booking, body, token)
        slots_cache().drop_org(booking.org_id)
        return reply  # type: ignore[no-any-return]
    except BookingError as exc:
        return booking_error_reply(exc)


@bp.post("/public/bookings/<uid>/reschedule")
@oa.documented(
    "/public/bookings/{uid}/reschedule",
    "post",
    summary="Move a booking to another time (attendee self-service)",
    security=[{"manageToken": []}],
    parameters=[UID_PARAM],
    requestBody={
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["start", "timezone"],
                    "properties": {
                        "start": {"type": "string", "format": "date-time"},
                        "timezone": {"type": "string"},
                    },
                }
            }
        },
    },
    responses={
        "200": oa.json_response(
            "Rescheduled: the new booking", {"$ref": "#/components/schemas/Booking"}
        ),
        **oa.error_responses(400, 401, 403, 404, 409, 422),
    },
)
def reschedule(uid: str) -> tuple[Any, int]:
    """Reschedule with the booking's token."""

    def action(session: Any, booking: Any, body: dict[str, Any], _token: str) -> tuple[Any, int]:
        errors: dict[str, str] = {}
        zone = str(body.get("timezone") or booking.attendee_timezone or "UTC")
        if not valid_timezone(zone):
            raise InvalidBooking({"timezone": f"Unknown time zone {zone!r}."})
        start = _parse_start(body.get("start"), zone, errors)
        if start is None:
            raise InvalidBooking(errors)
        result = reschedule_booking(
            session, booking.id, start, now=now(), actor="attendee", timezone=zone
        )
        track("reschedule", event_id=booking.event_id, booking_id=result.booking.id)
        hosts = booking_host_names(session, result.booking.id)
        return jsonify(booking_json(result.booking, hosts, zone, result.manage_token)), 200

    return _self_service(uid, action)


@bp.post("/public/bookings/<uid>/cancel")
@oa.documented(
    "/public/bookings/{uid}/cancel",
    "post",
    summary="Cancel a booking (attendee self-service)",
    security=[{"manageToken": []}],
    parameters=[UID_PARAM],
    requestBody={
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"reason": {"type": "string"}}}
            }
        }
    },
    responses={
        "200": oa.json_response("Cancelled", {"$ref": "#/components/schemas/Booking"}),
        **oa.error_responses(400, 401, 403, 404, 409),
    },
)
def cancel(uid: str) -> tuple[Any, int]:
    """Cancel with the booking's token."""

    def action(session: Any, booking: Any, body: dict[str, Any], token: str) -> tuple[Any, int]:
        reason = str(body.get("reason") or "")[:2000]
        cancelled = cancel_booking(session, booking.id, now=now(), actor="attendee", reason=reason)
        track("cancel", event_id=booking.event_id, booking_id=booking.id)
        hosts = booking_host_names(session, booking.id)
        zone = booking.attendee_timezone or "UTC"
        return jsonify(booking_json(cancelled, hosts, zone, token)), 200

    return _self_service(uid, action)


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI 3.1 document."""
    return jsonify(
        oa.openapi_document(url_for("api.openapi", _external=True).rsplit("/openapi.json", 1)[0])
    )


@bp.get("/docs")
def docs() -> str:
    """Human-readable API reference, rendered from the same document."""
    return render_template(
        "api_docs.html", doc=oa.openapi_document(request.host_url.rstrip("/") + "/api/v1")
    )
