"""Browser sessions behind the bookings (roadmap 6.1): funnels, abandoned visits, changes.

Every booking made on the booking page has a session page_view -> slot_view(s) ->
booking_started -> booking_completed just before its `created_at`, with the booking's own
attribution. Visits that did not convert are added per channel so each channel keeps its
conversion rate. Reschedules and cancellations leave events at the moment they happened.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduling.demo.audience import CHANNELS, USER_AGENTS, Channel
from scheduling.demo.content import ORG_SLUG
from scheduling.demo.data import DemoData
from scheduling.demo.drafts import Attribution, Draft
from scheduling.demo.events import Event
from scheduling.demo.ids import DEMO_ORG_ID, stable_id
from scheduling.demo.period import Period
from scheduling.models.enums import BookingStatus

VIEW_ONLY_SHARE = 0.55
SLOTS_ONLY_SHARE = 0.30  # the rest start the form and abandon it


def _s(seconds: float) -> timedelta:
    """A whole number of seconds."""
    return timedelta(seconds=round(seconds))


@dataclass(frozen=True)
class Visit:
    """One browser session: id, user agent and attribution (None for e-mail links)."""

    session_id: str | None
    user_agent: str | None
    attribution: Attribution | None


class Tracker:
    """Appends analytics event rows with stable ids."""

    def __init__(self, data: DemoData, rng: random.Random) -> None:
        """Write into `data.analytics_events`."""
        self.rows = data.analytics_events
        self.rng = rng

    def visit(self, key: object, attribution: Attribution | None) -> Visit:
        """A new browser session named by `key`."""
        return Visit(stable_id("visit", key).hex, self.rng.choice(USER_AGENTS), attribution)

    def emit(
        self,
        kind: str,
        at: datetime,
        visit: Visit,
        event: Event,
        booking_id: uuid.UUID | None = None,
        **metadata: Any,
    ) -> None:
        """One analytics event of `visit` at `at`."""
        a = visit.attribution
        self.rows.append(
            {
                "org_id": DEMO_ORG_ID,
                "id": stable_id("analytics", len(self.rows)),
                "event_type": kind,
                "event_id": event.id,
                "booking_id": booking_id,
                "session_id": visit.session_id,
                "user_agent": visit.user_agent,
                "referrer": a.referrer if a else None,
                "utm_source": a.utm_source if a else None,
                "utm_medium": a.utm_medium if a else None,
                "utm_campaign": a.utm_campaign if a else None,
                "metadata_": metadata,
                "created_at": at,
            }
        )


def add_analytics(data: DemoData, drafts: list[Draft], period: Period, rng: random.Random) -> None:
    """Sessions for every booking, reschedule and cancellation, plus visits that didn't book."""
    tracker = Tracker(data, rng)
    for draft in drafts:
        if draft.rescheduled_from is None:
            _booking_visit(tracker, draft)
        if draft.rescheduled_to is not None:
            _reschedule_visit(tracker, draft, draft.rescheduled_to)
        if draft.status is BookingStatus.CANCELLED:
            _cancel_visit(tracker, draft)
    _idle_visits(tracker, [d for d in drafts if d.rescheduled_from is None], period)
    data.analytics_events.sort(key=lambda r: (r["created_at"], r["id"]))


def _page_path(event: Event) -> str:
    """Public booking page of an event."""
    return f"/{ORG_SLUG}/{event.spec.slug}"


def _browse(tracker: Tracker, visit: Visit, event: Event, lo: datetime, hi: datetime) -> None:
    """A page view at `lo` and one to three days of slots looked at before `hi`."""
    rng = tracker.rng
    tracker.emit("page_view", lo, visit, event, path=_page_path(event))
    views = rng.randint(1, 3)
    step = (hi - lo) / (views + 1)
    zone = ZoneInfo(event.zone)
    for i in range(1, views + 1):
        at = lo + _s((step * i).total_seconds())
        day = (at + timedelta(days=rng.randint(1, 14))).astimezone(zone).date()
        tracker.emit("slot_view", at, visit, event, day=day.isoformat())


def _booking_visit(tracker: Tracker, draft: Draft) -> None:
    """The funnel that ended in this booking, in the minutes before it was created."""
    rng, created = tracker.rng, draft.created_at
    visit = tracker.visit(draft.id, draft.attribution)
    completed = created - _s(rng.uniform(2, 20))
    started = completed - _s(rng.uniform(40, 180))
    _browse(tracker, visit, draft.event, started - _s(rng.uniform(120, 720)), started)
    slot = draft.starts_at.isoformat()
    tracker.emit("booking_started", started, visit, draft.event, slot=slot)
    tracker.emit(
        "booking_completed",
        completed,
        visit,
        draft.event,
        draft.id,
        slot=slot,
        guests=len(draft.guests),
        attendee_timezone=draft.person.timezone,
    )


def _reschedule_visit(tracker: Tracker, old: Draft, new: Draft) -> None:
    """The attendee opens their manage link, looks at slots and moves the booking."""
    rng, at = tracker.rng, new.created_at
    visit = tracker.visit(("reschedule", old.id), None)
    tracker.emit("page_view", at - _s(rng.uniform(60, 300)), visit, old.event, path="/manage")
    tracker.emit("slot_view", at - _s(rng.uniform(20, 50)), visit, old.event)
    tracker.emit(
        "reschedule",
        at,
        visit,
        old.event,
        old.id,
        new_booking_id=str(new.id),
        previous_start=old.starts_at.isoformat(),
        new_start=new.starts_at.isoformat(),
    )


def _cancel_visit(tracker: Tracker, draft: Draft) -> None:
    """A cancellation: from the attendee's manage link, or by a host in the console."""
    at = draft.cancelled_at
    assert at is not None
    if draft.cancelled_by != draft.person.email:
        tracker.emit("cancel", at, Visit(None, None, None), draft.event, draft.id, actor="host")
        return
    visit = tracker.visit(("cancel", draft.id), None)
    before = at - _s(tracker.rng.uniform(30, 240))
    tracker.emit("page_view", before, visit, draft.event, path="/manage")
    tracker.emit("cancel", at, visit, draft.event, draft.id, actor="attendee")


def _idle_visits(tracker: Tracker, booked: list[Draft], period: Period) -> None:
    """Visits that did not book, so that each channel converts at its own rate."""
    rng = tracker.rng
    for channel in CHANNELS:
        won = sum(1 for d in booked if d.attribution.channel is channel)
        for i in range(round(won * (1 - channel.conversion) / channel.conversion)):
            anchor = rng.choice(booked)
            at = anchor.created_at + _s(rng.uniform(-3, 3) * 86400)
            at = min(at, period.now - timedelta(minutes=30))
            _idle_visit(tracker, (channel.name, i), channel, anchor.event, at)


def _idle_visit(
    tracker: Tracker, key: tuple[str, int], channel: Channel, event: Event, at: datetime
) -> None:
    """One visit that leaves after viewing, after looking at slots, or mid-form."""
    rng = tracker.rng
    visit = tracker.visit(("idle", *key), Attribution.draw(rng, channel, at))
    depth = rng.random()
    if depth < VIEW_ONLY_SHARE:
        tracker.emit("page_view", at, visit, event, path=_page_path(event))
        return
    browse_end = at + _s(rng.uniform(60, 600))
    _browse(tracker, visit, event, at, browse_end)
    if depth >= VIEW_ONLY_SHARE + SLOTS_ONLY_SHARE:
        tracker.emit("booking_started", browse_end, visit, event)
