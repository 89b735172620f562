"""Field-by-field checks of a booking request; every problem is collected, none is a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scheduling.addresses import valid_email
from scheduling.booking.errors import InvalidBooking
from scheduling.models import Event, Question, QuestionType
from scheduling.zones import valid_timezone

PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """What an attendee asks for."""

    start: datetime
    name: str
    email: str
    timezone: str
    guests: tuple[str, ...] = ()
    answers: Mapping[str, Any] = field(default_factory=dict)
    phone: str | None = None
    idempotency_key: str | None = None
    source: str | None = None
    referrer: str | None = None
    utm: Mapping[str, str] = field(default_factory=dict)


def validate_request(
    request: BookingRequest, event: Event, questions: Iterable[Question]
) -> dict[str, Any]:
    """Raise InvalidBooking with every field problem; return the cleaned answers."""
    errors: dict[str, str] = {}
    if not request.name.strip():
        errors["name"] = "Please enter your name."
    elif len(request.name) > 255:
        errors["name"] = "Please use at most 255 characters."
    if not valid_email(request.email):
        errors["email"] = "Please enter a valid email address."
    if not valid_timezone(request.timezone):
        errors["timezone"] = f"Unknown time zone {request.timezone!r}."
    if request.start.tzinfo is None:
        errors["start"] = "The start time needs a UTC offset or zone."
    if request.phone and not PHONE.match(request.phone):
        errors["phone"] = "Please enter a valid phone number."
    _check_guests(request, event, errors)
    answers = _clean_answers(request.answers, questions, errors)
    if errors:
        raise InvalidBooking(errors)
    return answers


def _check_guests(request: BookingRequest, event: Event, errors: dict[str, str]) -> None:
    guests = [g.strip().lower() for g in request.guests]
    if not guests:
        return
    if not event.allow_guests:
        errors["guests"] = "This event does not allow guests."
    elif len(guests) > event.guest_limit:
        errors["guests"] = f"You can bring at most {event.guest_limit} guest(s)."
    elif bad := [g for g in guests if not valid_email(g)]:
        errors["guests"] = f"Not a valid email address: {bad[0]}."
    elif len(set(guests)) != len(guests) or request.email.strip().lower() in guests:
        errors["guests"] = "Each guest needs a different email address."


def _clean_answers(
    answers: Mapping[str, Any], questions: Iterable[Question], errors: dict[str, str]
) -> dict[str, Any]:
    by_id = {str(q.id): q for q in questions}
    cleaned: dict[str, Any] = {}
    for key in answers:
        if key not in by_id:
            errors[f"answers.{key}"] = "Unknown question."
    for key, question in by_id.items():
        value = answers.get(key)
        empty = value is None or value == "" or value == []
        if empty:
            if question.required:
                errors[f"answers.{key}"] = "This question needs an answer."
            continue
        problem, value = _check_answer(question, value)
        if problem:
            errors[f"answers.{key}"] = problem
        else:
            cleaned[key] = value
    return cleaned


def _check_answer(question: Question, value: Any) -> tuple[str | None, Any]:
    """(problem or None, normalised value) for one answer."""
    kind, options = question.question_type, [str(o) for o in question.options or []]
    if kind is QuestionType.MULTI_SELECT:
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        unknown = [v for v in values if v not in options]
        return (f"Not an option: {unknown[0]}." if unknown else None), values
    text = str(value).strip()
    if len(text) > 5000:
        return "Please keep answers under 5,000 characters.", text
    if kind is QuestionType.SELECT and text not in options:
        return f"Not an option: {text}.", text
    if kind is QuestionType.NUMBER:
        try:
            return None, float(text) if "." in text else int(text)
        except ValueError:
            return "Please enter a number.", text
    if kind is QuestionType.EMAIL and not valid_email(text):
        return "Please enter a valid email address.", text
    if kind is QuestionType.PHONE and not PHONE.match(text):
        return "Please enter a valid phone number.", text
    return None, text
