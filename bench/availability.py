"""Benchmark of the availability engine: median wall time of compute_slots on seeded data.

Run: .venv/bin/python bench/availability.py   (bars: a < 5 ms, b < 30 ms, c < 50 ms)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.availability import (
    BusyBlock,
    EventSpec,
    HostAvailability,
    Interval,
    MeetingType,
    Schedule,
    WeeklyRule,
    check_slot,
    compute_slots,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)  # the range crosses the US and EU DST changes
START = NOW
END = NOW + timedelta(days=60)
ZONES = ("America/New_York", "America/Chicago", "America/Toronto", "Europe/London", "Europe/Berlin")


def _schedule(zone: str, first: int = 9, last: int = 17) -> Schedule:
    """Monday-Friday working hours in a zone."""
    return Schedule(zone, tuple(WeeklyRule(d, wall(first), wall(last)) for d in range(5)))


def _event(kind: MeetingType, max_per_day: int | None = None) -> EventSpec:
    """A 30-minute event with buffers, notice and a window, so every rule is exercised."""
    return EventSpec(
        event_id="bench",
        meeting_type=kind,
        duration_minutes=30,
        display_timezone="America/New_York",
        buffer_before=5,
        buffer_after=10,
        min_notice_hours=4,
        booking_window_days=90,
        max_per_day=max_per_day,
    )


def _bookings(rng: random.Random, host: int, n: int) -> tuple[BusyBlock, ...]:
    """n seeded bookings of 15-90 minutes, on quarter hours, over the 60 days."""
    out = []
    for i in range(n):
        start = NOW + timedelta(minutes=15 * rng.randrange(60 * 24 * 4))
        end = start + timedelta(minutes=rng.choice((15, 30, 45, 60, 90)))
        out.append(
            BusyBlock(
                f"b{host}-{i}",
                rng.choice(("bench", "other")),
                start,
                end,
                rng.choice((0, 5, 10)),
                rng.choice((0, 5, 10)),
            )
        )
    return tuple(out)


def _external(rng: random.Random, n: int) -> tuple[Interval, ...]:
    """n seeded external-calendar busy intervals over the 60 days."""
    out = []
    for _ in range(n):
        start = NOW + timedelta(minutes=5 * rng.randrange(60 * 24 * 12))
        out.append(Interval(start, start + timedelta(minutes=rng.choice((20, 30, 60, 120)))))
    return tuple(out)


def _host(rng: random.Random, i: int, zone: str, bookings: int, external: int) -> HostAvailability:
    """A host with seeded busy time and personal limits."""
    first = 8 if zone.startswith("America") else 13  # overlapping hours across the Atlantic
    return HostAvailability(
        host_id=f"host-{i}",
        timezone=zone,
        schedule=_schedule(zone, first, first + 9),
        busy=_bookings(rng, i, bookings),
        external_busy=_external(rng, external),
        max_per_day=12,
        max_per_week=50,
        default_buffer_before=0,
        default_buffer_after=0,
    )


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of repeated runs, after one warm-up run."""
    run()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def _check_mid(event: EventSpec, hosts: list[HostAvailability]) -> Callable[[], object]:
    """A check_slot call for the middle offered slot of a case (what a booking re-checks)."""
    slots = compute_slots(event, hosts, now=NOW, start=START, end=END)
    start = slots[len(slots) // 2].start
    return lambda: check_slot(event, hosts, now=NOW, start=start)


def main() -> None:
    """Build the three seeded cases and print each median (then check_slot for information)."""
    rng = random.Random(20250301)
    one = [_host(rng, 0, "America/New_York", 40, 20)]
    ten = [_host(rng, i, ZONES[i % 3], 200, 0) for i in range(10)]
    fifty = [_host(rng, i, ZONES[i % len(ZONES)], 100, 100) for i in range(50)]
    cases = [
        ("a) one host, 60 days, 30-minute slots", _event(MeetingType.ONE_ON_ONE, 8), one, 200, 5),
        ("b) 10-host collective, 2,000 bookings", _event(MeetingType.COLLECTIVE, 40), ten, 50, 30),
        ("c) 50-host union, 10,000 busy intervals", _event(MeetingType.ROUND_ROBIN), fifty, 30, 50),
    ]
    for label, event, hosts, repeat, bar in cases:
        busy = sum(len(h.busy) + len(h.external_busy) for h in hosts)
        size = len(compute_slots(event, hosts, now=NOW, start=START, end=END))
        ms = _median_ms(
            lambda e=event, h=hosts: compute_slots(e, h, now=NOW, start=START, end=END), repeat
        )
        print(
            f"{label}: median {ms:.2f} ms over {repeat} runs "
            f"({busy} busy, {size} slots; bar < {bar} ms)"
        )
    for label, event, hosts in (
        ("check_slot, 10-host collective", cases[1][1], ten),
        ("check_slot, 50-host union", cases[2][1], fifty),
    ):
        print(f"   {label}: median {_median_ms(_check_mid(event, hosts), 50):.2f} ms")


if __name__ == "__main__":
    main()
