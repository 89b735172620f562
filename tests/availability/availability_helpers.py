"""Builders that turn compact, declarative scenario data into engine inputs and readable output."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduling.availability import (
    BusyBlock,
    DateOverride,
    EventSpec,
    HostAvailability,
    Interval,
    MeetingType,
    Schedule,
    Slot,
    WeeklyRule,
    compute_slots,
)

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
EVENT_ID = "ev"


def at(zone: str, text: str, fold: int = 0) -> datetime:
    """Aware datetime from local wall text 'YYYY-MM-DD HH:MM' in an IANA zone."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(zone), fold=fold)


def ranges(text: str) -> tuple[tuple[time, time], ...]:
    """'09:00-12:00, 13:00-17:00' -> ((09:00, 12:00), (13:00, 17:00)); '' -> ()."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        a, b = part.split("-")
        out.append((time.fromisoformat(a), time.fromisoformat(b)))
    return tuple(out)


def weekdays(key: str) -> list[int]:
    """'mon', 'mon-fri' or 'daily' -> weekday numbers."""
    if key == "daily":
        return list(range(7))
    if "-" in key:
        a, b = key.split("-")
        return list(range(DAYS[a], DAYS[b] + 1))
    return [DAYS[key]]


def schedule(zone: str, hours: dict[str, str], overrides: dict[str, str] | None = None) -> Schedule:
    """Schedule from {'mon-fri': '09:00-17:00'} and {'2024-06-03': '13:00-14:00' or ''}."""
    weekly = tuple(
        WeeklyRule(d, a, b)
        for key, text in hours.items()
        for d in weekdays(key)
        for a, b in ranges(text)
    )
    days = tuple(
        DateOverride(date.fromisoformat(d), ranges(text)) for d, text in (overrides or {}).items()
    )
    return Schedule(zone, weekly, days)


def booking(zone: str, spec: Sequence[Any], n: int) -> BusyBlock:
    """('2024-06-03 10:00', '11:00'[, before, after[, event_id]]) -> BusyBlock in local time."""
    start = at(zone, spec[0])
    end_text = spec[1] if len(spec[1]) > 5 else f"{spec[0][:10]} {spec[1]}"
    before, after = (spec[2], spec[3]) if len(spec) > 3 else (0, 0)
    event_id = spec[4] if len(spec) > 4 else "other"
    return BusyBlock(f"b{n}", event_id, start, at(zone, end_text), before, after)


def interval(zone: str, spec: Sequence[str]) -> Interval:
    """('2024-06-03 10:00', '10:45' or a full 'YYYY-MM-DD HH:MM') -> Interval in local time."""
    end_text = spec[1] if len(spec[1]) > 5 else f"{spec[0][:10]} {spec[1]}"
    return Interval(at(zone, spec[0]), at(zone, end_text))


def host(spec: dict[str, Any], zone: str) -> HostAvailability:
    """HostAvailability from a scenario host dict (zone defaults to the scenario zone)."""
    zone = spec.get("zone", zone)
    return HostAvailability(
        host_id=spec.get("id", "h"),
        timezone=spec.get("host_zone", zone),
        schedule=schedule(zone, spec.get("hours", {}), spec.get("overrides")),
        busy=tuple(booking(zone, b, n) for n, b in enumerate(spec.get("bookings", ()))),
        external_busy=tuple(interval(zone, x) for x in spec.get("external", ())),
        time_off=tuple(interval(zone, x) for x in spec.get("time_off", ())),
        **spec.get("host", {}),
    )


def event(zone: str, kind: str = "one_on_one", **overrides: Any) -> EventSpec:
    """EventSpec with 30-minute defaults; keyword overrides map to EventSpec fields."""
    fields: dict[str, Any] = {"duration_minutes": 30, **overrides}
    return EventSpec(
        event_id=EVENT_ID, meeting_type=MeetingType(kind), display_timezone=zone, **fields
    )


def day_range(zone: str, days: str) -> tuple[datetime, datetime]:
    """'2024-06-03' or '2024-06-03..2024-06-05' -> [first local midnight, after last day)."""
    first, _, last = days.partition("..")
    end = date.fromisoformat(last or first) + timedelta(days=1)
    return at(zone, f"{first} 00:00"), at(zone, f"{end.isoformat()} 00:00")


def fmt(slot: Slot, zone: str, pattern: str, show_hosts: bool) -> str:
    """One slot as local wall-clock text, optionally '=host,host'."""
    text = slot.start.astimezone(ZoneInfo(zone)).strftime(pattern)
    return f"{text}={','.join(map(str, slot.host_ids))}" if show_hosts else text


def run(scn: dict[str, Any]) -> list[str]:
    """Run one declarative scenario and render its slots in the scenario's zone."""
    zone = scn["zone"]
    specs = scn.get("hosts") or [{k: scn[k] for k in scn if k in HOST_KEYS}]
    hosts = [host(spec, zone) for spec in specs]
    ev = event(zone, scn.get("kind", "one_on_one"), **scn.get("event", {}))
    start, end = day_range(zone, scn["days"])
    slots = compute_slots(ev, hosts, now=at(zone, scn["now"]), start=start, end=end)
    multi_day = ".." in scn["days"]
    pattern = scn.get("fmt", "%a-%H:%M" if multi_day else "%H:%M")
    return [fmt(s, zone, pattern, scn.get("hosts_shown", False)) for s in slots]


HOST_KEYS = {"hours", "overrides", "bookings", "external", "time_off", "host", "host_zone"}
