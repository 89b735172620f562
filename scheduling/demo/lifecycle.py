"""What happened to each booking: approval, cancellation, reschedule, then attendance."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from scheduling.demo.bookings import BookingMaker
from scheduling.demo.drafts import Draft
from scheduling.demo.period import Period, clamp
from scheduling.demo.phrases import CANCEL_BY_ATTENDEE, CANCEL_BY_HOST
from scheduling.models.enums import Attendance, BookingStatus

CANCEL_SHARE = 0.09
RESCHEDULE_SHARE = 0.06
HOST_CANCEL_SHARE = 0.25
DECLINE_SHARE = 0.18
APPROVED_THEN_CANCELLED = 0.06
PENDING_SHARE = 0.75
PENDING_RECENT = timedelta(days=6)
MINUTE = timedelta(minutes=1)


def moment(rng: random.Random, lo: datetime, hi: datetime) -> datetime | None:
    """A whole-second instant in (lo, hi), or None when the span is empty."""
    if hi <= lo + timedelta(seconds=2):
        return None
    seconds = rng.uniform(1, (hi - lo).total_seconds() - 1)
    return (lo + timedelta(seconds=seconds)).replace(microsecond=0)


def settle(maker: BookingMaker) -> None:
    """Give every booking its fate; reschedules add the replacing bookings to the maker."""
    rng, period = maker.rng, maker.period
    for draft in list(maker.drafts):
        if draft.event.spec.require_approval:
            _decide(rng, period, draft)
            continue
        roll = rng.random()
        if roll < CANCEL_SHARE:
            _cancel(rng, period, draft, draft.created_at)
        elif roll < CANCEL_SHARE + RESCHEDULE_SHARE and draft.session is None:
            _reschedule(maker, draft)
    for draft in maker.drafts:
        _attend(rng, period, draft)


def _cancel(rng: random.Random, period: Period, draft: Draft, after: datetime) -> None:
    """Cancelled by the attendee (usually) or a host, some time after `after`."""
    at = moment(rng, after + 10 * MINUTE, min(draft.starts_at - 15 * MINUTE, period.now - MINUTE))
    if at is None:
        return
    if rng.random() < HOST_CANCEL_SHARE:
        draft.cancelled_by = draft.slot.hosts[0].email
        draft.cancellation_reason = rng.choice(CANCEL_BY_HOST)
    else:
        draft.cancelled_by = draft.person.email
        draft.cancellation_reason = rng.choice(CANCEL_BY_ATTENDEE)
    draft.status = BookingStatus.CANCELLED
    draft.cancelled_at = draft.updated_at = at


def _reschedule(maker: BookingMaker, draft: Draft) -> None:
    """The attendee moves the meeting to a free slot near the old one; the old one is kept."""
    rng, period, spec = maker.rng, maker.period, draft.event.spec
    at = moment(rng, draft.created_at + 60 * MINUTE, min(draft.starts_at, period.now) - 2 * MINUTE)
    if at is None:
        return
    lo = max(at + timedelta(hours=spec.notice_hours), draft.starts_at - timedelta(days=2))
    hi = min(
        draft.starts_at + timedelta(days=10),
        at + timedelta(days=spec.window_days, hours=-1),
        period.end_at(),
    )
    options = maker.planner.options(draft.event, lo, hi) if lo < hi else []
    slot = maker.planner.choose(rng, draft.event, options, draft.person.timezone)
    if slot is None:
        return
    maker.planner.book(draft.event, slot)
    draft.rescheduled_to = maker.moved(draft, slot, at)
    draft.status = BookingStatus.RESCHEDULED
    draft.updated_at = at


def _decide(rng: random.Random, period: Period, draft: Draft) -> None:
    """Approval: recent future requests still pending; others approved or declined."""
    recent = draft.created_at >= period.now - PENDING_RECENT
    at = moment(
        rng,
        draft.created_at + 2 * 60 * MINUTE,
        min(draft.created_at + timedelta(days=2), draft.starts_at - 60 * MINUTE, period.now),
    )
    if at is None or (draft.starts_at > period.now and recent and rng.random() < PENDING_SHARE):
        draft.status = BookingStatus.PENDING_APPROVAL
        return
    draft.updated_at = at
    if rng.random() < DECLINE_SHARE:
        draft.status = BookingStatus.DECLINED
    elif rng.random() < APPROVED_THEN_CANCELLED:
        _cancel(rng, period, draft, at)


def _attend(rng: random.Random, period: Period, draft: Draft) -> None:
    """Attendance of confirmed meetings that are over; `updated_at` for every booking."""
    if draft.status is BookingStatus.CONFIRMED and draft.ends_at <= period.now:
        lead_days = (draft.starts_at - draft.created_at).total_seconds() / 86400
        rate = draft.attribution.channel.no_show_rate * (1 + lead_days / 30)
        if draft.session is not None:
            rate *= 1.3
        no_show = rng.random() < rate
        draft.attendance = Attendance.NO_SHOW if no_show else Attendance.ATTENDED
        marked = draft.ends_at + timedelta(minutes=rng.uniform(10, 20 * 60))
        draft.updated_at = clamp(marked.replace(microsecond=0), draft.changed_at, period.now)
    draft.updated_at = draft.changed_at
