"""Generating bookings: demand per event and day, a free slot per attendee, answers, lead time."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.demo.audience import CHANNELS, WORK_DOMAINS
from scheduling.demo.content import (
    DEMAND_BY_MONTH,
    DEMAND_BY_WEEKDAY,
    GUEST_COUNT_WEIGHTS,
    SESSION_FILL,
    QuestionSpec,
)
from scheduling.demo.drafts import AnswerDraft, Attribution, Draft
from scheduling.demo.events import Event, Session, session_buffers
from scheduling.demo.ids import stable_id
from scheduling.demo.people import People, Person, ascii_word
from scheduling.demo.period import Period, day_bounds
from scheduling.demo.placement import Planner, Slot
from scheduling.demo.topics import compose, pick_topic
from scheduling.models.enums import MeetingType, QuestionType

OPTIONAL_ANSWERED = 0.6
DAYS_TRIED = 3  # an attendee who finds no slot on a day looks at the next ones


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; means here are small)."""
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class BookingMaker:
    """Turns demand into drafts: picks attendees and slots, books them, answers the form."""

    def __init__(
        self, period: Period, planner: Planner, people: People, rng: random.Random
    ) -> None:
        """Share the period, planner and pools; drafts accumulate in `self.drafts`."""
        self.period, self.planner, self.people, self.rng = period, planner, people, rng
        self.drafts: list[Draft] = []

    def book_events(self, events: list[Event]) -> None:
        """Bookings of every non-group event, day by day, events interleaved within a day."""
        bookable = [e for e in events if e.kind is not MeetingType.GROUP]
        for day in self.period.days():
            requests: list[tuple[Event, datetime, datetime]] = []
            for event in bookable:
                lo, hi = day_bounds(day, ZoneInfo(event.zone))
                share = self.period.booked_share(
                    lo + timedelta(hours=12), event.spec.mean_lead_days
                )
                mean = event.spec.weekly_rate / 5 * DEMAND_BY_MONTH[day.month] * share
                count = poisson(self.rng, mean * DEMAND_BY_WEEKDAY[day.weekday()])
                requests += [(event, lo, hi)] * count
            self.rng.shuffle(requests)
            for event, lo, hi in requests:
                self._book_in(event, lo, hi)

    def _book_in(self, event: Event, lo: datetime, hi: datetime) -> None:
        """One attendee books a slot of their choice that day, else on one of the next two."""
        person = self.people.pick(event.zone)
        for shift in (timedelta(days=d) for d in range(DAYS_TRIED)):
            if lo + shift >= self.period.end_at():
                return
            options = self.planner.options(event, lo + shift, hi + shift)
            slot = self.planner.choose(self.rng, event, options, person.timezone)
            if slot is not None:
                self.planner.book(event, slot)
                self.add(event, slot, person, self.created_for(event, slot.starts_at))
                return

    def book_sessions(self, sessions: list[Session]) -> None:
        """Seats in each group session, filled up to a share of its capacity."""
        for session in sessions:
            spec = session.event.spec
            share = self.period.booked_share(session.starts_at, spec.mean_lead_days)
            target = session.capacity * self.rng.uniform(*SESSION_FILL) * share
            before, after = session_buffers(session)
            slot = Slot(session.starts_at, session.ends_at, (session.host,), before, after)
            seats = 0
            while seats < target:
                person = self.people.pick(session.event.zone)
                guests = self._guest_count(session.event)
                if seats + 1 + guests > session.capacity:
                    break
                created = self.created_for(session.event, session.starts_at)
                self.add(session.event, slot, person, created, guests, session)
                seats += 1 + guests

    def add(
        self,
        event: Event,
        slot: Slot,
        person: Person,
        created_at: datetime,
        guests: int | None = None,
        session: Session | None = None,
    ) -> Draft:
        """Record a new booking draft with its guests, answers and attribution."""
        count = self._guest_count(event) if guests is None else guests
        draft = Draft(
            id=stable_id("booking", len(self.drafts)),
            event=event,
            slot=slot,
            person=person,
            guests=tuple(self.people.guest_of(person) for _ in range(count)),
            attribution=self.attribution(created_at),
            created_at=created_at,
            answers=self._answers(event, person),
            session=session,
        )
        self.drafts.append(draft)
        return draft

    def moved(self, draft: Draft, slot: Slot, at: datetime) -> Draft:
        """The booking that replaces `draft` at `slot`, made at `at` by the same attendee."""
        new = Draft(
            id=stable_id("booking", len(self.drafts)),
            event=draft.event,
            slot=slot,
            person=draft.person,
            guests=draft.guests,
            attribution=draft.attribution,
            created_at=at,
            answers=draft.answers,
            rescheduled_from=draft,
        )
        self.drafts.append(new)
        return new

    def created_for(self, event: Event, starts_at: datetime) -> datetime:
        """When a booking starting at `starts_at` was made: within notice and window, by now."""
        spec, rng = event.spec, self.rng
        notice = timedelta(hours=spec.notice_hours, minutes=rng.uniform(5, 240))
        if starts_at > self.period.now:
            gap = starts_at - self.period.now
            lead = max(notice, gap + timedelta(hours=rng.uniform(0.2, 72)))
        else:
            lead = notice + timedelta(days=rng.expovariate(1 / spec.mean_lead_days))
        lead = min(lead, timedelta(days=spec.window_days, hours=-1))
        return (starts_at - lead).replace(microsecond=0)

    def _guest_count(self, event: Event) -> int:
        """How many guests an attendee brings, within the event's limit."""
        if event.spec.guest_limit == 0:
            return 0
        count = self.rng.choices((0, 1, 2), weights=GUEST_COUNT_WEIGHTS)[0]
        return min(count, event.spec.guest_limit)

    def attribution(self, at: datetime) -> Attribution:
        """Tags of the visit that led to a booking made at `at`, by channel share."""
        channel = self.rng.choices(CHANNELS, weights=[c.booking_share for c in CHANNELS])[0]
        return Attribution.draw(self.rng, channel, at)

    def _answers(self, event: Event, person: Person) -> tuple[AnswerDraft, ...]:
        """Answers to the event's questions; optional ones are skipped now and then."""
        out: list[AnswerDraft] = []
        for question_id, q in event.questions:
            if not q.required and self.rng.random() > OPTIONAL_ANSWERED:
                continue
            if q.topic:
                topic = pick_topic(self.rng, event.spec.topics)
                out.append(AnswerDraft(question_id, compose(self.rng, topic), topic.key))
            else:
                out.append(AnswerDraft(question_id, self._value(q, person)))
        return tuple(out)

    def _value(self, q: QuestionSpec, person: Person) -> object:
        """A plausible answer to a non-topic question, typed as the question asks."""
        rng = self.rng
        if q.kind is QuestionType.SELECT:
            return rng.choice(q.options)
        if q.kind is QuestionType.MULTI_SELECT:
            return rng.sample(q.options, rng.randint(1, min(3, len(q.options))))
        if q.kind is QuestionType.NUMBER:
            return rng.randint(*q.number_range)
        if q.kind is QuestionType.EMAIL:
            return (
                f"{ascii_word(person.first)}.{ascii_word(person.last)}@{rng.choice(WORK_DOMAINS)}"
            )
        if q.kind is QuestionType.PHONE:
            return person.phone
        return rng.choice(q.samples)
