"""`build_demo`: the whole demo data set as a pure function of the day and a seed."""

from __future__ import annotations

import random
from datetime import date

from scheduling.demo.analytics import add_analytics
from scheduling.demo.bookings import BookingMaker
from scheduling.demo.data import DemoData
from scheduling.demo.engagement import add_engagement
from scheduling.demo.events import add_events, add_sessions, add_tags
from scheduling.demo.lifecycle import settle
from scheduling.demo.org import add_hosts, add_organisation, add_teams
from scheduling.demo.people import People
from scheduling.demo.period import Period
from scheduling.demo.placement import Planner
from scheduling.demo.rows import add_booking_rows


def _rng(seed: int, phase: str) -> random.Random:
    """An independent random stream per phase, so one phase's draws never shift another's."""
    return random.Random(f"{seed}:{phase}")


def build_demo(today: date, seed: int = 42) -> DemoData:
    """Every row of the demo organisation for `today`; same inputs, same rows."""
    period = Period.around(today)
    data = DemoData()
    add_organisation(data, period)
    hosts = add_hosts(data, period, _rng(seed, "hosts"))
    add_teams(data, hosts, period)
    events = add_events(data, hosts, period)
    tag_ids = add_tags(data, period)
    sessions = add_sessions(data, events, period)
    maker = BookingMaker(period, Planner(), People(_rng(seed, "people")), _rng(seed, "bookings"))
    maker.book_sessions(sessions)
    maker.book_events(events)
    settle(maker)
    add_booking_rows(data, maker.drafts)
    add_engagement(data, maker.drafts, tag_ids, period, _rng(seed, "engagement"))
    add_analytics(data, maker.drafts, period, _rng(seed, "analytics"))
    return data
