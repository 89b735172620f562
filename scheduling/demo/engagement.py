"""What follows meetings: attendee feedback, and hosts' tags, tasks and notes."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from scheduling.demo.data import DemoData
from scheduling.demo.drafts import Draft
from scheduling.demo.ids import DEMO_ORG_ID, stable_id
from scheduling.demo.period import Period
from scheduling.demo.phrases import (
    FEEDBACK_COMMENTS,
    GENERAL_NOTES,
    NOTE_TEMPLATES,
    TAGS,
    TASK_TEMPLATES,
    TOPIC_TAGS,
)
from scheduling.demo.topics import TOPIC_BY_KEY
from scheduling.models.enums import Attendance, BookingStatus

FEEDBACK_SHARE = 0.5
COMMENT_SHARE = 0.55
NPS_SHARE = 0.85
TAG_SHARE = 0.15
NOTE_SHARE = 0.12
TASK_SHARE = 0.07
TASK_DONE_SHARE = 0.85
RATING_WEIGHTS = {5: 55, 4: 28, 3: 10, 2: 4, 1: 3}
NPS_RANGE = {5: (8, 10), 4: (6, 9), 3: (4, 7), 2: (1, 5), 1: (0, 3)}


def add_engagement(
    data: DemoData,
    drafts: list[Draft],
    tag_ids: dict[str, uuid.UUID],
    period: Period,
    rng: random.Random,
) -> None:
    """Feedback, notes and tasks on meetings that took place; tags on some bookings."""
    for draft in drafts:
        if draft.attendance is Attendance.ATTENDED:
            if rng.random() < FEEDBACK_SHARE:
                _feedback(data, draft, period, rng)
            if rng.random() < TASK_SHARE:
                _task(data, draft, period, rng)
        if draft.attendance is not Attendance.UNKNOWN and rng.random() < NOTE_SHARE:
            _note(data, draft, period, rng)
        if draft.status is not BookingStatus.DECLINED and rng.random() < TAG_SHARE:
            for name in _tags_for(draft, rng):
                data.booking_tags.append(
                    {"org_id": DEMO_ORG_ID, "booking_id": draft.id, "tag_id": tag_ids[name]}
                )


def _after(draft: Draft, rng: random.Random, lo_minutes: float, hi_minutes: float) -> datetime:
    """A whole-second instant some minutes after the meeting ended."""
    return (draft.ends_at + timedelta(minutes=rng.uniform(lo_minutes, hi_minutes))).replace(
        microsecond=0
    )


def _feedback(data: DemoData, draft: Draft, period: Period, rng: random.Random) -> None:
    """A rating, usually an NPS score and sometimes a comment, sent within three days."""
    at = _after(draft, rng, 30, 3 * 24 * 60)
    if at > period.now:
        return
    rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
    mood = "positive" if rating >= 4 else "neutral" if rating == 3 else "negative"
    data.feedback.append(
        {
            "org_id": DEMO_ORG_ID,
            "id": stable_id("feedback", draft.id),
            "booking_id": draft.id,
            "rating": rating,
            "nps_score": rng.randint(*NPS_RANGE[rating]) if rng.random() < NPS_SHARE else None,
            "comment": rng.choice(FEEDBACK_COMMENTS[mood])
            if rng.random() < COMMENT_SHARE
            else None,
            "created_at": at,
            "updated_at": at,
        }
    )


def _label(draft: Draft) -> str:
    """What the meeting was about, in words: its topic, else the event title."""
    topic = draft.topic
    return TOPIC_BY_KEY[topic].label if topic else draft.event.spec.title.lower()


def _task(data: DemoData, draft: Draft, period: Period, rng: random.Random) -> None:
    """A follow-up for the (first) host, done if it fell due a while ago."""
    created = _after(draft, rng, 5, 90)
    if created > period.now:
        return
    due = created + timedelta(days=rng.randint(2, 5))
    done = None
    if due < period.now - timedelta(days=1) and rng.random() < TASK_DONE_SHARE:
        done = (due - timedelta(hours=rng.uniform(0, 40))).replace(microsecond=0)
    template = rng.choice(TASK_TEMPLATES)
    data.tasks.append(
        {
            "org_id": DEMO_ORG_ID,
            "id": stable_id("task", draft.id),
            "booking_id": draft.id,
            "title": template.format(first=draft.person.first, label=_label(draft)),
            "assignee_id": draft.slot.hosts[0].id,
            "due_at": due,
            "done_at": max(done, created) if done else None,
            "created_at": created,
            "updated_at": max(done, created) if done else created,
        }
    )


def _note(data: DemoData, draft: Draft, period: Period, rng: random.Random) -> None:
    """A host's private note written just after the meeting."""
    created = _after(draft, rng, 2, 120)
    if created > period.now:
        return
    templates = NOTE_TEMPLATES if draft.topic else GENERAL_NOTES
    data.notes.append(
        {
            "org_id": DEMO_ORG_ID,
            "id": stable_id("note", draft.id),
            "booking_id": draft.id,
            "author_id": draft.slot.hosts[0].id,
            "body": rng.choice(templates).format(first=draft.person.first, label=_label(draft)),
            "created_at": created,
            "updated_at": created,
        }
    )


def _tags_for(draft: Draft, rng: random.Random) -> list[str]:
    """One or two tag names that fit the booking."""
    fitting = [TOPIC_TAGS[draft.topic]] if draft.topic in TOPIC_TAGS else []
    if draft.guests:
        fitting.append("Parent attended")
    if draft.attribution.channel.name == "referral":
        fitting.append("Partner referral")
    names = fitting or [rng.choice(TAGS)[0]]
    if rng.random() < 0.3:
        names.append(rng.choice(TAGS)[0])
    return list(dict.fromkeys(names))[:2]
