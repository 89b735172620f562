"""Working hours of a schedule as sorted UTC spans, converted per day (never per slot)."""

from __future__ import annotations

from datetime import time
from functools import lru_cache

from .intervals import Span, merge
from .models import Schedule
from .zones import ZoneClock, day_base

WallRanges = tuple[Span, ...]


def _seconds(value: time) -> int:
    """Seconds after midnight of a wall-clock time (sub-second parts ignored)."""
    return value.hour * 3600 + value.minute * 60 + value.second


def _merged(ranges: list[Span]) -> WallRanges:
    """Coalesce one day's wall-clock ranges so overlapping rules count once."""
    return tuple(merge(ranges))


@lru_cache(maxsize=4096)
def rule_tables(schedule: Schedule) -> tuple[tuple[WallRanges, ...], dict[int, WallRanges]]:
    """Per-weekday and per-override-date wall ranges in seconds, cached per schedule."""
    days: list[list[Span]] = [[] for _ in range(7)]
    for rule in schedule.weekly:
        days[rule.weekday].append((_seconds(rule.start), _seconds(rule.end)))
    weekly = tuple(_merged(d) for d in days)
    overrides = {
        o.day.toordinal(): _merged([(_seconds(s), _seconds(e)) for s, e in o.intervals])
        for o in schedule.overrides
    }
    return weekly, overrides


def working_spans(schedule: Schedule, clock: ZoneClock, first: int, last: int) -> list[Span]:
    """UTC spans of working time on local dates first..last (ordinals) in the schedule's zone."""
    weekly, overrides = rule_tables(schedule)
    to_utc = clock.to_utc
    out: list[Span] = []
    for ordinal in range(first, last + 1):
        ranges = overrides.get(ordinal)
        if ranges is None:
            ranges = weekly[(ordinal - 1) % 7]
        if not ranges:
            continue
        base = day_base(ordinal)
        for s, e in ranges:
            out.extend(to_utc(base + s, base + e))
    return merge(out)
