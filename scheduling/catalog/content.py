"""What the booking form asks (questions) and what attendees read first (prep resources)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit
from scheduling.catalog.confirmation import web_origin
from scheduling.catalog.errors import InvalidEvent
from scheduling.catalog.events import load_event, require_event_change
from scheduling.models import Answer, PrepResource, Question, QuestionType

CHOICES = (QuestionType.SELECT, QuestionType.MULTI_SELECT)
MAX_OPTIONS = 100


@dataclass(frozen=True, slots=True)
class QuestionInput:
    """One question as the editor sends it; `id` names an existing question to keep."""

    label: str
    question_type: QuestionType | str = QuestionType.TEXT
    required: bool = False
    options: Sequence[str] = ()
    help_text: str | None = None
    id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class PrepInput:
    """One preparation resource: a title, and a link or a description (or both)."""

    title: str
    url: str | None = None
    description: str | None = None


@dataclass(slots=True)
class _Question:
    """A checked question, ready to write."""

    label: str
    question_type: QuestionType
    required: bool
    options: list[str]
    help_text: str | None
    id: uuid.UUID | None = None
    problems: dict[str, str] = field(default_factory=dict)


def active_questions(session: Session, event_id: uuid.UUID) -> list[Question]:
    """The questions on the event's form, in order (archived ones left out)."""
    return list(
        session.scalars(
            select(Question)
            .where(Question.event_id == event_id, Question.archived_at.is_(None))
            .order_by(Question.position, Question.created_at)
        )
    )


def _check_question(n: int, q: QuestionInput, known: set[uuid.UUID]) -> _Question:
    """Clean one question; its problems are keyed "questions.<n>.<field>" (n from 1)."""
    problems: dict[str, str] = {}
    label = (q.label or "").strip()
    if not label:
        problems[f"questions.{n}.label"] = f"Question {n} needs a label."
    elif len(label) > 500:
        problems[f"questions.{n}.label"] = f"Question {n}: please use at most 500 characters."
    try:
        kind = QuestionType(q.question_type)
    except ValueError:
        problems[f"questions.{n}.question_type"] = (
            f"Question {n}: unknown type {q.question_type!r}."
        )
        kind = QuestionType.TEXT
    options = [str(o).strip() for o in q.options if str(o).strip()] if kind in CHOICES else []
    if kind in CHOICES and not options:
        problems[f"questions.{n}.options"] = f"Question {n}: list the options to choose from."
    elif len(set(options)) != len(options):
        problems[f"questions.{n}.options"] = f"Question {n}: each option can appear once."
    elif len(options) > MAX_OPTIONS:
        problems[f"questions.{n}.options"] = f"Question {n}: at most {MAX_OPTIONS} options."
    if not isinstance(q.required, bool):
        problems[f"questions.{n}.required"] = f"Question {n}: required is yes or no."
    if q.id is not None and q.id not in known:
        problems[f"questions.{n}.label"] = f"Question {n} belongs to another event."
    help_text = (q.help_text or "").strip() or None
    return _Question(label, kind, bool(q.required), options, help_text, q.id, problems)


def _view(q: Question | _Question, position: int) -> dict[str, Any]:
    return {
        "label": q.label,
        "type": q.question_type.value,
        "required": q.required,
        "options": list(q.options or []),
        "help_text": q.help_text,
        "position": position,
    }


def set_questions(
    session: Session, actor: Actor, event_id: uuid.UUID, questions: Sequence[QuestionInput]
) -> list[Question]:
    """Replace the event's questions with `questions`, in this order.

    Questions keep their id (and their answers) when the input names it. A question left out
    is deleted, or archived when attendees have answered it, so their answers stay.
    """
    event = load_event(session, event_id, lock=True)
    require_event_change(session, actor, event)
    existing = {q.id: q for q in active_questions(session, event.id)}
    checked = [_check_question(n, q, set(existing)) for n, q in enumerate(questions, start=1)]
    errors = {k: v for q in checked for k, v in q.problems.items()}
    labels = [q.label.casefold() for q in checked]
    for n, label in enumerate(labels, start=1):
        if label and labels.index(label) != n - 1:
            errors.setdefault(f"questions.{n}.label", f"Question {n} repeats an earlier label.")
    if len({q.id for q in checked if q.id}) != len([q for q in checked if q.id]):
        errors["questions"] = "The same question appears twice."
    if errors:
        raise InvalidEvent(errors)
    before = [_view(q, i) for i, q in enumerate(existing.values())]
    kept = _write_questions(session, event.org_id, event.id, checked, existing)
    after = [_view(q, i) for i, q in enumerate(kept)]
    if before != after:
        audit(
            session,
            actor,
            "event.questions_set",
            "event",
            event.id,
            {"questions": before},
            {"questions": after},
        )
    return kept


def _write_questions(
    session: Session,
    org_id: uuid.UUID,
    event_id: uuid.UUID,
    checked: list[_Question],
    existing: dict[uuid.UUID, Question],
) -> list[Question]:
    kept: list[Question] = []
    for position, q in enumerate(checked):
        row = existing.get(q.id) if q.id else None
        if row is None:
            row = Question(org_id=org_id, id=uuid.uuid4(), event_id=event_id)
            session.add(row)
        row.label, row.question_type, row.required = q.label, q.question_type, q.required
        row.options, row.help_text, row.position = q.options, q.help_text, position
        kept.append(row)
    gone = [qid for qid in existing if qid not in {q.id for q in checked}]
    if gone:
        answered = set(
            session.scalars(select(Answer.question_id).where(Answer.question_id.in_(gone)))
        )
        for qid in gone:
            if qid in answered:
                existing[qid].archived_at = func.now()
            else:
                session.delete(existing[qid])
    session.flush()
    return kept


def _check_prep(n: int, item: PrepInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    title = (item.title or "").strip()
    if not title:
        problems[f"prep.{n}.title"] = f"Resource {n} needs a title."
    elif len(title) > 255:
        problems[f"prep.{n}.title"] = f"Resource {n}: please use at most 255 characters."
    url = (item.url or "").strip()
    if url and (len(url) > 1000 or web_origin(url, ("https", "http")) is None):
        problems[f"prep.{n}.url"] = f"Resource {n}: use a full http:// or https:// address."
    return problems


def prep_resources(session: Session, event_id: uuid.UUID) -> list[PrepResource]:
    """The event's preparation resources, in order."""
    return list(
        session.scalars(
            select(PrepResource)
            .where(PrepResource.event_id == event_id)
            .order_by(PrepResource.position, PrepResource.created_at)
        )
    )


def set_prep_resources(
    session: Session, actor: Actor, event_id: uuid.UUID, resources: Sequence[PrepInput]
) -> list[PrepResource]:
    """Replace the event's preparation resources with `resources`, in this order."""
    event = load_event(session, event_id, lock=True)
    require_event_change(session, actor, event)
    errors = {k: v for n, r in enumerate(resources, start=1) for k, v in _check_prep(n, r).items()}
    if errors:
        raise InvalidEvent(errors)
    current = prep_resources(session, event.id)
    before = [{"title": r.title, "url": r.url, "description": r.description} for r in current]
    session.execute(delete(PrepResource).where(PrepResource.event_id == event.id))
    rows = [
        PrepResource(
            org_id=event.org_id,
            id=uuid.uuid4(),
            event_id=event.id,
            title=r.title.strip(),
            url=(r.url or "").strip() or None,
            description=(r.description or "").strip() or None,
            position=i,
        )
        for i, r in enumerate(resources)
    ]
    session.add_all(rows)
    session.flush()
    after = [{"title": r.title, "url": r.url, "description": r.description} for r in rows]
    if before != after:
        audit(
            session, actor, "event.prep_set", "event", event.id, {"prep": before}, {"prep": after}
        )
    return rows
