"""Booking drafts as rows: bookings, booking hosts, attendees, answers and answer topics."""

from __future__ import annotations

from scheduling.demo.data import DemoData, Row
from scheduling.demo.drafts import Draft
from scheduling.demo.ids import DEMO_ORG_ID, stable_id
from scheduling.demo.people import Person
from scheduling.models.enums import BookingStatus, QuestionType

RESENT = (BookingStatus.CANCELLED, BookingStatus.RESCHEDULED)


def add_booking_rows(data: DemoData, drafts: list[Draft]) -> None:
    """Every draft with its hosts, attendees, answers and true answer topics."""
    for draft in drafts:
        data.bookings.append(booking_row(draft))
        for host in draft.slot.hosts:
            data.booking_hosts.append(
                {"org_id": DEMO_ORG_ID, "booking_id": draft.id, "admin_id": host.id}
            )
        phone = _phone_answer(draft)
        people = [(draft.person, False, phone), *((g, True, None) for g in draft.guests)]
        for index, (person, is_guest, number) in enumerate(people):
            data.attendees.append(_attendee_row(draft, index, person, is_guest, number))
        _add_answers(data, draft)


def booking_row(draft: Draft) -> Row:
    """One `oh_bookings` row."""
    a = draft.attribution
    return {
        "org_id": DEMO_ORG_ID,
        "id": draft.id,
        "event_id": draft.event.id,
        "slot_id": draft.session.id if draft.session else None,
        "series_id": None,
        "status": draft.status,
        "attendance": draft.attendance,
        "starts_at": draft.starts_at,
        "ends_at": draft.ends_at,
        "buffer_before": draft.slot.buffer_before,
        "buffer_after": draft.slot.buffer_after,
        "attendee_timezone": draft.person.timezone,
        "manage_token_hash": None,
        "manage_token_revoked_at": None,
        "idempotency_key": None,
        "rescheduled_from_id": draft.rescheduled_from.id if draft.rescheduled_from else None,
        "cancelled_at": draft.cancelled_at,
        "cancelled_by": draft.cancelled_by,
        "cancellation_reason": draft.cancellation_reason,
        "ics_sequence": 1 if draft.status in RESENT else 0,
        "source": a.channel.name,
        "referrer": a.referrer,
        "utm_source": a.utm_source,
        "utm_medium": a.utm_medium,
        "utm_campaign": a.utm_campaign,
        "created_at": draft.created_at,
        "updated_at": draft.changed_at,
    }


def _phone_answer(draft: Draft) -> str | None:
    """The phone number the attendee typed into the form, if it asked for one."""
    kinds = {qid: q.kind for qid, q in draft.event.questions}
    return next(
        (a.value for a in draft.answers if kinds[a.question_id] is QuestionType.PHONE), None
    )


def _attendee_row(
    draft: Draft, index: int, person: Person, is_guest: bool, phone: str | None
) -> Row:
    """One `oh_attendees` row: the booker first, then guests."""
    return {
        "org_id": DEMO_ORG_ID,
        "id": stable_id("attendee", draft.id, index),
        "booking_id": draft.id,
        "name": person.name,
        "email": person.email,
        "phone": phone,
        "timezone": person.timezone,
        "is_guest": is_guest,
        "created_at": draft.created_at,
        "updated_at": draft.created_at,
    }


def _add_answers(data: DemoData, draft: Draft) -> None:
    """Answers of one booking, and the true topic of its free-text discussion answer."""
    for answer in draft.answers:
        answer_id = stable_id("answer", draft.id, answer.question_id)
        data.answers.append(
            {
                "org_id": DEMO_ORG_ID,
                "id": answer_id,
                "booking_id": draft.id,
                "question_id": answer.question_id,
                "value": answer.value,
                "created_at": draft.created_at,
                "updated_at": draft.created_at,
            }
        )
        if answer.topic:
            data.demo_answer_topics.append(
                {"org_id": DEMO_ORG_ID, "answer_id": answer_id, "topic": answer.topic}
            )
