"""Questions (every type, required, options, order) and preparation resources of an event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduling.booking import BookingRequest, InvalidBooking, create_booking, get_event
from scheduling.booking.queries import event_details
from scheduling.catalog import (
    InvalidEvent,
    PrepInput,
    QuestionInput,
    active_questions,
    prep_resources,
    set_prep_resources,
    set_questions,
)
from scheduling.db import tenant_session
from scheduling.models import Answer, PrepResource, Question, QuestionType
from tests.catalog.conftest import Shop

EVERY_TYPE = [
    QuestionInput("What should we talk about?", "text", required=True),
    QuestionInput("Anything else?", "textarea", help_text="Optional details."),
    QuestionInput("Level", "select", options=["Beginner", " Advanced ", ""]),
    QuestionInput("Goals", "multi_select", options=["Speaking", "Writing"]),
    QuestionInput("Age", "number"),
    QuestionInput("Work email", "email"),
    QuestionInput("Mobile", "phone", options=["ignored for non-choice types"]),
]


def test_every_question_type_is_stored_in_the_order_given(shop: Shop) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_questions(s, shop.actor("member"), event_id, EVERY_TYPE)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        rows = active_questions(s, event_id)
        stored = [
            (q.position, q.label, q.question_type, q.required, q.options, q.help_text) for q in rows
        ]
    assert stored == [
        (0, "What should we talk about?", QuestionType.TEXT, True, [], None),
        (1, "Anything else?", QuestionType.TEXTAREA, False, [], "Optional details."),
        (2, "Level", QuestionType.SELECT, False, ["Beginner", "Advanced"], None),
        (3, "Goals", QuestionType.MULTI_SELECT, False, ["Speaking", "Writing"], None),
        (4, "Age", QuestionType.NUMBER, False, [], None),
        (5, "Work email", QuestionType.EMAIL, False, [], None),
        (6, "Mobile", QuestionType.PHONE, False, [], None),
    ]
    assert {t.value for _, _, t, *_ in stored} == {t.value for t in QuestionType}
    (entry,) = shop.audit("event.questions_set")
    assert entry.old_values == {"questions": []}
    assert [q["label"] for q in entry.new_values["questions"]] == [q.label for q in EVERY_TYPE]


def test_reordering_keeps_question_ids(shop: Shop) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        first, second = set_questions(
            s, shop.actor("admin"), event_id, [QuestionInput("A"), QuestionInput("B")]
        )
        ids = (first.id, second.id)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_questions(
            s,
            shop.actor("admin"),
            event_id,
            [
                QuestionInput("B, now first", required=True, id=ids[1]),
                QuestionInput("A", id=ids[0]),
            ],
        )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        rows = [(q.id, q.label, q.required) for q in active_questions(s, event_id)]
    assert rows == [(ids[1], "B, now first", True), (ids[0], "A", False)]


@pytest.mark.parametrize(
    ("question", "errors"),
    [
        (QuestionInput("  "), {"questions.2.label": "Question 2 needs a label."}),
        (
            QuestionInput("Pick", "select"),
            {"questions.2.options": "Question 2: list the options to choose from."},
        ),
        (
            QuestionInput("Pick", "multi_select", options=["a", "a"]),
            {"questions.2.options": "Question 2: each option can appear once."},
        ),
        (
            QuestionInput("Pick", "dropdown"),
            {"questions.2.question_type": "Question 2: unknown type 'dropdown'."},
        ),
        (
            QuestionInput(" another "),
            {"questions.2.label": "Question 2 repeats an earlier label."},
        ),
    ],
)
def test_bad_questions_are_refused_and_nothing_changes(
    shop: Shop, question: QuestionInput, errors: dict[str, str]
) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_questions(s, shop.actor("admin"), event_id, [QuestionInput("Topic")])
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        set_questions(s, shop.actor("admin"), event_id, [QuestionInput("Another"), question])
    assert refused.value.errors == errors
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert [q.label for q in active_questions(s, event_id)] == ["Topic"]
    assert len(shop.audit("event.questions_set")) == 1


def test_a_question_from_another_event_is_refused(shop: Shop) -> None:
    mine, other = shop.event(), shop.event(title="Other", slug="other")
    with tenant_session(shop.db.app_engine, shop.org) as s:
        (foreign,) = set_questions(s, shop.actor("admin"), other, [QuestionInput("Theirs")])
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        set_questions(s, shop.actor("admin"), mine, [QuestionInput("Theirs", id=foreign.id)])
    assert refused.value.errors == {"questions.1.label": "Question 1 belongs to another event."}


def test_removed_questions_with_answers_are_archived_and_the_answers_kept(shop: Shop) -> None:
    event_id = shop.event(min_notice_hours=0, buffer_after=0)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        topic, _level = set_questions(
            s,
            shop.actor("admin"),
            event_id,
            [QuestionInput("Topic", required=True), QuestionInput("Level")],
        )
    monday = datetime(2031, 3, 3, 10, tzinfo=UTC)
    with tenant_session(shop.db.app_engine, shop.org) as s:
        create_booking(
            s,
            shop.org,
            get_event(s, slug="office-chat"),
            BookingRequest(
                start=monday,
                name="Sam",
                email="sam@x.test",
                timezone="UTC",
                answers={str(topic.id): "Visas"},
            ),
            now=monday - timedelta(days=2),
        )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_questions(s, shop.actor("admin"), event_id, [QuestionInput("Goals")])
    with tenant_session(shop.db.app_engine, shop.org) as s:
        left = {q.label: q.archived_at is not None for q in s.scalars(select(Question))}
        answers = s.scalars(select(Answer.value)).all()
        form = [q.label for q in event_details(s, get_event(s, slug="office-chat")).questions]
        with pytest.raises(InvalidBooking) as refused:  # the archived question is not asked
            create_booking(
                s,
                shop.org,
                get_event(s, slug="office-chat"),
                BookingRequest(
                    start=monday + timedelta(hours=2),
                    name="Kim",
                    email="kim@x.test",
                    timezone="UTC",
                    answers={str(topic.id): "Visas"},
                ),
                now=monday - timedelta(days=2),
            )
    assert left == {"Topic": True, "Goals": False}  # Level had no answers: deleted
    assert answers == ["Visas"]
    assert form == ["Goals"]
    assert refused.value.errors == {f"answers.{topic.id}": "Unknown question."}


def test_prep_resources_are_replaced_in_order(shop: Shop) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_prep_resources(
            s,
            shop.actor("member"),
            event_id,
            [PrepInput("Old guide", "https://acme.test/old")],
        )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        set_prep_resources(
            s,
            shop.actor("member"),
            event_id,
            [
                PrepInput(" Course guide ", "https://acme.test/guide", "Chapter 1"),
                PrepInput("Bring a pen"),
            ],
        )
    with tenant_session(shop.db.app_engine, shop.org) as s:
        rows = [(p.position, p.title, p.url, p.description) for p in prep_resources(s, event_id)]
    assert rows == [
        (0, "Course guide", "https://acme.test/guide", "Chapter 1"),
        (1, "Bring a pen", None, None),
    ]
    _first, second = shop.audit("event.prep_set")
    assert second.old_values == {
        "prep": [{"title": "Old guide", "url": "https://acme.test/old", "description": None}]
    }


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        (PrepInput(""), {"prep.1.title": "Resource 1 needs a title."}),
        (
            PrepInput("Guide", "javascript:alert(1)"),
            {"prep.1.url": "Resource 1: use a full http:// or https:// address."},
        ),
    ],
)
def test_bad_prep_resources_are_refused(shop: Shop, item: PrepInput, errors: dict) -> None:
    event_id = shop.event()
    with tenant_session(shop.db.app_engine, shop.org) as s, pytest.raises(InvalidEvent) as refused:
        set_prep_resources(s, shop.actor("admin"), event_id, [item])
    assert refused.value.errors == errors
    with tenant_session(shop.db.app_engine, shop.org) as s:
        assert s.scalars(select(PrepResource)).all() == []
    assert shop.audit() == []
