"""Finding free slots for an event across its hosts' calendars, and booking them."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling.demo.content import EventSpec
from scheduling.demo.events import Event
from scheduling.demo.org import Host
from scheduling.demo.period import Interval
from scheduling.models.enums import MeetingType

ALIGNMENTS = (60, 30, 20, 15, 10, 5)
DAYTIME = range(8, 21)  # attendee-local hours people prefer to meet in


@dataclass(frozen=True)
class Slot:
    """A meeting time with the hosts taking it and the buffers (minutes) it blocks."""

    starts_at: datetime
    ends_at: datetime
    hosts: tuple[Host, ...]
    buffer_before: int
    buffer_after: int

    def padded(self) -> Interval:
        """The span the meeting occupies for its hosts, buffers included."""
        return (
            self.starts_at - timedelta(minutes=self.buffer_before),
            self.ends_at + timedelta(minutes=self.buffer_after),
        )


def buffers_for(spec: EventSpec, hosts: Sequence[Host]) -> tuple[int, int]:
    """The event's buffers, else the largest default of its hosts (one pair per booking)."""
    before = spec.buffer_before
    after = spec.buffer_after
    if before is None:
        before = max(h.spec.buffer_before for h in hosts)
    if after is None:
        after = max(h.spec.buffer_after for h in hosts)
    return before, after


def _round_up(at: datetime, minutes: int) -> datetime:
    """`at` rounded up to a multiple of `minutes` (whole-hour zone offsets keep local grids)."""
    step = minutes * 60
    seconds = -(-int(at.timestamp()) // step) * step
    return datetime.fromtimestamp(seconds, UTC)


class Planner:
    """Offers free slots for events and books them; remembers round-robin assignments."""

    def __init__(self) -> None:
        """Start with no round-robin assignments."""
        self.assigned: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()

    def options(self, event: Event, lo: datetime, hi: datetime) -> list[Slot]:
        """Free slots starting in [lo, hi): one host each for round robin, else all hosts."""
        if event.kind is MeetingType.ROUND_ROBIN:
            return [s for h in event.hosts for s in self._slots(event, (h,), lo, hi)]
        return self._slots(event, event.hosts, lo, hi)

    def _slots(
        self, event: Event, hosts: tuple[Host, ...], lo: datetime, hi: datetime
    ) -> list[Slot]:
        """Grid starts inside the first host's windows where every host is free."""
        spec = event.spec
        before, after = buffers_for(spec, hosts)
        duration = timedelta(minutes=spec.duration)
        increment = spec.increment or spec.duration
        step = timedelta(minutes=increment)
        align = next(a for a in ALIGNMENTS if increment % a == 0)
        pad_before, pad_after = timedelta(minutes=before), timedelta(minutes=after)
        out: list[Slot] = []
        for ws, we in hosts[0].calendar.windows_between(lo, hi):
            start = _round_up(ws + pad_before, align)
            while start + duration + pad_after <= we:
                if (
                    lo <= start < hi
                    and event.limits.allows_at(start)
                    and all(
                        h.calendar.is_free(start - pad_before, start + duration + pad_after)
                        for h in hosts
                    )
                ):
                    out.append(Slot(start, start + duration, hosts, before, after))
                start += step
        return out

    def choose(
        self, rng: random.Random, event: Event, options: list[Slot], attendee_zone: str
    ) -> Slot | None:
        """The attendee's pick: a start in their daytime if any, then the least-busy host."""
        zone = ZoneInfo(attendee_zone)
        daytime = [o for o in options if o.starts_at.astimezone(zone).hour in DAYTIME] or options
        if not daytime:
            return None
        start = rng.choice(sorted({o.starts_at for o in daytime}))
        return min(
            (o for o in daytime if o.starts_at == start),
            key=lambda o: self.assigned[(event.id, o.hosts[0].id)],
        )

    def book(self, event: Event, slot: Slot) -> None:
        """Reserve the slot for all its hosts and count it against the event's limits."""
        lo, hi = slot.padded()
        for host in slot.hosts:
            host.calendar.reserve(lo, hi)
        event.limits.add_at(slot.starts_at)
        self.assigned[(event.id, slot.hosts[0].id)] += 1
