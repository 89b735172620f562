"""The organisation, its hosts with working hours, overrides and time off, and its teams."""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.demo.calendar import HostCalendar, Limits
from scheduling.demo.content import (
    CHANGED_DAYS,
    DOMAIN,
    HOLIDAYS,
    HOSTS,
    NEW_YORK,
    ORG_NAME,
    ORG_SLUG,
    ORG_TIMEZONE,
    SCHEDULE_NAMES,
    TEAMS,
    TIME_OFF_REASONS,
    WORKING_HOURS,
    HostSpec,
    WallRange,
)
from scheduling.demo.data import DemoData, Row
from scheduling.demo.ids import DEMO_ORG_ID, stable_id
from scheduling.demo.period import Interval, Period, at_wall, day_bounds, wall

# Hours that replace the weekly rules on one local date; () makes it a day off.
DayHours = tuple[WallRange, ...]


@dataclass(frozen=True)
class Host:
    """A generated host: its ids, contact details, defaults and booking calendar."""

    spec: HostSpec
    id: uuid.UUID
    slug: str
    email: str
    calendar: HostCalendar


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Liam O'Brien" -> "liam-obrien")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


def add_organisation(data: DemoData, period: Period) -> None:
    """The one organisation row."""
    data.organizations.append(
        {
            "id": DEMO_ORG_ID,
            "name": ORG_NAME,
            "slug": ORG_SLUG,
            "timezone": ORG_TIMEZONE,
            "created_at": period.setup_at,
        }
    )


def add_hosts(data: DemoData, period: Period, rng: random.Random) -> dict[str, Host]:
    """Admins with a default schedule, weekly rules, overrides and time off; by host name."""
    hosts: dict[str, Host] = {}
    for index, spec in enumerate(HOSTS):
        slug = slugify(spec.name)
        host_id = stable_id("admin", slug)
        created = period.setup_at + timedelta(hours=index + 1)
        overrides = _overrides(spec, period, rng)
        calendar = HostCalendar(
            zone=ZoneInfo(spec.timezone),
            windows=_windows(spec, period, overrides),
            time_off=_time_off(data, spec, host_id, period, rng),
            limits=Limits(ZoneInfo(spec.timezone), spec.max_per_day, spec.max_per_week),
        )
        host = Host(spec, host_id, slug, f"{slug.replace('-', '.')}@{DOMAIN}", calendar)
        _add_admin_row(data, host, created)
        _add_schedule_rows(data, host, overrides, created)
        hosts[spec.name] = host
    return hosts


def _add_admin_row(data: DemoData, host: Host, created: datetime) -> None:
    """One `oh_admins` row."""
    spec = host.spec
    data.admins.append(
        {
            "org_id": DEMO_ORG_ID,
            "id": host.id,
            "name": spec.name,
            "email": host.email,
            "slug": host.slug,
            "timezone": spec.timezone,
            "is_host": True,
            "is_active": True,
            "max_meetings_per_day": spec.max_per_day,
            "max_meetings_per_week": spec.max_per_week,
            "default_buffer_before": spec.buffer_before,
            "default_buffer_after": spec.buffer_after,
            "created_at": created,
            "updated_at": created,
        }
    )


def _add_schedule_rows(
    data: DemoData, host: Host, overrides: dict[date, DayHours], created: datetime
) -> None:
    """The host's default schedule with its weekly rules and date overrides."""
    spec, slug = host.spec, host.slug
    schedule_id = stable_id("schedule", slug)
    stamp = created + timedelta(minutes=10)
    data.availability_schedules.append(
        {
            "org_id": DEMO_ORG_ID,
            "id": schedule_id,
            "admin_id": host.id,
            "name": SCHEDULE_NAMES[spec.hours],
            "timezone": spec.timezone,
            "is_default": True,
            "created_at": stamp,
            "updated_at": stamp,
        }
    )
    for weekday, ranges in WORKING_HOURS[spec.hours].items():
        for start, end in ranges:
            data.availability_rules.append(
                {
                    "org_id": DEMO_ORG_ID,
                    "id": stable_id("rule", slug, weekday, start),
                    "schedule_id": schedule_id,
                    "weekday": weekday,
                    "start_time": wall(start),
                    "end_time": wall(end),
                }
            )
    for day, hours in overrides.items():
        data.availability_overrides.append(_override_row(schedule_id, slug, day, hours))


def _override_row(schedule_id: uuid.UUID, slug: str, day: date, hours: DayHours) -> Row:
    """One override: changed hours, or NULL times for a whole day off."""
    start, end = (wall(hours[0][0]), wall(hours[0][1])) if hours else (None, None)
    return {
        "org_id": DEMO_ORG_ID,
        "id": stable_id("override", slug, day),
        "schedule_id": schedule_id,
        "day": day,
        "start_time": start,
        "end_time": end,
    }


def _working_days(spec: HostSpec, period: Period) -> list[date]:
    """Dates of the period on which the host's weekly rules have hours."""
    rules = WORKING_HOURS[spec.hours]
    return [d for d in period.days() if d.weekday() in rules]


def _overrides(spec: HostSpec, period: Period, rng: random.Random) -> dict[date, DayHours]:
    """Public holidays off, one personal day off and one day with changed hours."""
    working = _working_days(spec, period)
    found: dict[date, DayHours] = {d: () for d in holidays(spec.timezone, period) if d in working}
    candidates = [d for d in working if d not in found]
    day_off, changed = rng.sample(candidates, 2)
    found[day_off] = ()
    found[changed] = (rng.choice(CHANGED_DAYS),)
    return dict(sorted(found.items()))


def holidays(zone: str, period: Period) -> list[date]:
    """Public holidays of the host's zone that fall inside the period."""
    years = range(period.start.year, period.end.year + 1)
    days = [date(y, m, d) for y in years for m, d in HOLIDAYS[zone]]
    if zone == NEW_YORK:
        days += [_thanksgiving(y) for y in years]
    return sorted(d for d in days if period.start <= d < period.end)


def _thanksgiving(year: int) -> date:
    """Fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _windows(
    spec: HostSpec, period: Period, overrides: dict[date, DayHours]
) -> dict[date, list[Interval]]:
    """UTC working windows for each local date around the period."""
    zone = ZoneInfo(spec.timezone)
    rules = WORKING_HOURS[spec.hours]
    out: dict[date, list[Interval]] = {}
    day, last = period.start - timedelta(days=2), period.end + timedelta(days=2)
    while day <= last:
        ranges = overrides.get(day, rules.get(day.weekday(), ()))
        out[day] = [(at_wall(day, s, zone), at_wall(day, e, zone)) for s, e in ranges]
        day += timedelta(days=1)
    return out


def _time_off(
    data: DemoData, spec: HostSpec, host_id: uuid.UUID, period: Period, rng: random.Random
) -> list[Interval]:
    """A week of leave for every host and a half day for some; rows added, spans returned."""
    zone = ZoneInfo(spec.timezone)
    monday = period.start + timedelta(days=(7 - period.start.weekday()) % 7)
    week = monday + timedelta(weeks=rng.randrange((period.end - monday).days // 7))
    spans = [(day_bounds(week, zone)[0], day_bounds(week + timedelta(days=4), zone)[1])]
    if rng.random() < 0.5:
        day = rng.choice(_working_days(spec, period))
        spans.append((at_wall(day, time(12), zone), at_wall(day, time(16), zone)))
    for index, (start, end) in enumerate(spans):
        created = max(period.setup_at, min(start - timedelta(days=21), period.now))
        data.time_off.append(
            {
                "org_id": DEMO_ORG_ID,
                "id": stable_id("time-off", spec.name, index),
                "admin_id": host_id,
                "starts_at": start,
                "ends_at": end,
                "reason": rng.choice(TIME_OFF_REASONS) if index == 0 else "Medical appointment",
                "created_at": created,
                "updated_at": created,
            }
        )
    return spans


def add_teams(data: DemoData, hosts: dict[str, Host], period: Period) -> None:
    """Teams and their members."""
    created = period.setup_at + timedelta(days=1)
    for spec in TEAMS:
        team_id = stable_id("team", spec.slug)
        data.teams.append(
            {
                "org_id": DEMO_ORG_ID,
                "id": team_id,
                "name": spec.name,
                "slug": spec.slug,
                "description": spec.description,
                "logo_url": f"https://{DOMAIN}/static/teams/{spec.slug}.png",
                "is_active": True,
                "created_at": created,
                "updated_at": created,
            }
        )
        for order, (name, role) in enumerate(spec.members):
            data.team_members.append(
                {
                    "org_id": DEMO_ORG_ID,
                    "id": stable_id("team-member", spec.slug, hosts[name].slug),
                    "team_id": team_id,
                    "admin_id": hosts[name].id,
                    "role": role,
                    "display_order": order,
                }
            )
