"""Editing hosts' availability: schedules, weekly hours, date overrides and time off.

Who may do what: everyone reads availability with `events.read` and changes it with
`events.update`, both within their role's scope over the host it belongs to. So members
manage their own availability, managers their teams', admins everyone's; viewers only read.

Rules kept here (the database enforces the single-row ones too):

- Weekly hours and overrides are wall-clock ranges in the schedule's zone; a range ends after
  it starts on the same day ("24:00" is the last second, 23:59:59, as in the slot engine);
  ranges of one day may touch but not overlap. Changing a schedule's zone keeps the wall
  clock (09:00 stays 09:00, now in the new zone).
- A date override replaces that day's weekly hours: one row per range, or one row without
  times for a day off (how `scheduling.booking.inputs` reads them).
- Time off belongs to the person, is entered as wall-clock date-times in their zone and is
  stored in UTC. A time that does not exist (clocks jump forward) is refused; a time that
  happens twice (clocks fall back) starts at its first and ends at its second occurrence,
  so the time off covers the whole hour.
- A person with schedules always has exactly one default. The default, a person's only
  schedule, and a schedule an event is pinned to cannot be deleted.
- Every change locks the person's row (FOR NO KEY UPDATE, which bookings never wait on), so
  two editors never interleave a week's replacement or a change of default.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scheduling.access import Actor, audit, can, require, snapshot
from scheduling.booking.inputs import event_hosts
from scheduling.booking.queries import local_days, slots_by_day
from scheduling.booking.service import list_slots
from scheduling.models import (
    Admin,
    AvailabilityOverride,
    AvailabilityRule,
    AvailabilitySchedule,
    Event,
    EventHost,
    TimeOff,
)
from scheduling.zones import valid_timezone

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
END_OF_DAY = time(23, 59, 59)  # "24:00": the slot engine's latest end of a day
STANDARD_WEEK: dict[int, list[tuple[time, time]]] = {d: [(time(9), time(17))] for d in range(5)}
SCHEDULE_FIELDS = ("admin_id", "name", "timezone", "is_default")
PREVIEW_DAYS = 14
Ranges = list[tuple[time, time]]


class InvalidSchedule(ValueError):
    """Field problems in availability settings; `errors` maps field to message."""

    code, status = "invalid_schedule", 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class AvailabilityNotFound(LookupError):
    """No such person, schedule, override or time off in this organisation."""

    code, status = "not_found", 404


# Reading and writing times of day ------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_DASH = re.compile(r"\s*(?:-|\u2013|\u2014|\bto\b)\s*", re.IGNORECASE)  # also en/em dash


def _parse_time(text: str, *, end: bool) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"{text.strip()!r} is not a time like 09:00 or 5pm.")
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text.strip()!r} is not a time of day.")
        hour = hour % 12 + (12 if match[3].lower() == "pm" else 0)
    if end and (hour, minute) == (24, 0):
        return END_OF_DAY
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day.")
    return time(hour, minute)


def format_time(value: time, *, end: bool = False) -> str:
    """ "09:00"; the day's last second reads "24:00" as an end."""
    return "24:00" if end and value == END_OF_DAY else f"{value:%H:%M}"


def format_ranges(ranges: Sequence[tuple[time, time]]) -> str:
    """ "09:00-12:00, 13:00-17:00", the form `parse_ranges` reads."""
    return ", ".join(f"{format_time(s)}-{format_time(e, end=True)}" for s, e in ranges)


def parse_ranges(text: str, field: str = "hours") -> Ranges:
    """Ranges typed as "09:00-12:00, 13:00-17:00" (also "9am to 5pm"); empty text: none.

    Raises InvalidSchedule under `field` for text that is not a list of ranges; order and
    overlaps are checked by the service that stores them."""
    out: Ranges = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\n]", text))):
        pieces = _DASH.split(part)
        if len(pieces) != 2:
            raise InvalidSchedule({field: f"Write {part!r} as a range like 09:00-17:00."})
        try:
            out.append((_parse_time(pieces[0], end=False), _parse_time(pieces[1], end=True)))
        except ValueError as exc:
            raise InvalidSchedule({field: str(exc)}) from None
    return out


def parse_week(texts: Mapping[int, str]) -> dict[int, Ranges]:
    """Each weekday's typed ranges; every day's problem at once, under "hours_<weekday>"."""
    week: dict[int, Ranges] = {}
    errors: dict[str, str] = {}
    for day, text in texts.items():
        try:
            week[day] = parse_ranges(text, f"hours_{day}")
        except InvalidSchedule as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidSchedule(errors)
    return week


def _range_problem(ranges: Sequence[tuple[time, time]]) -> str | None:
    """Why these ranges of one day cannot be stored, or None."""
    for start, end in ranges:
        if not isinstance(start, time) or not isinstance(end, time):
            return "Give each range as two times of day."
        if end <= start:
            return (
                f"{format_time(start)}-{format_time(end, end=True)} ends before it starts "
                "(split hours past midnight at 24:00)."
            )
    ordered = sorted(ranges)
    for (s1, e1), (s2, e2) in pairwise(ordered):
        if s2 < e1:
            return (
                f"{format_time(s1)}-{format_time(e1, end=True)} and "
                f"{format_time(s2)}-{format_time(e2, end=True)} overlap."
            )
    return None


def _ranges_json(ranges: Sequence[tuple[time, time]]) -> list[str]:
    return [f"{format_time(s)}-{format_time(e, end=True)}" for s, e in sorted(ranges)]


# Loading and locking -------------------------------------------------------------------


def _host(session: Session, host_id: uuid.UUID, *, lock: bool = False) -> Admin:
    stmt = select(Admin).where(Admin.id == host_id)
    if lock:
        stmt = stmt.with_for_update(key_share=True)
    host = session.scalars(stmt.execution_options(populate_existing=True)).first()
    if host is None:
        raise AvailabilityNotFound("We could not find that person.")
    return host


def _schedule(session: Session, schedule_id: uuid.UUID) -> AvailabilitySchedule:
    schedule = session.scalars(
        select(AvailabilitySchedule)
        .where(AvailabilitySchedule.id == schedule_id)
        .execution_options(populate_existing=True)
    ).first()
    if schedule is None:
        raise AvailabilityNotFound("We could not find that schedule.")
    return schedule


def _editable_schedule(
    session: Session, actor: Actor, schedule_id: uuid.UUID
) -> AvailabilitySchedule:
    """The schedule, after checking the actor may change its owner's availability and
    locking the owner; re-read under the lock so a concurrent delete is seen."""
    owner = _schedule(session, schedule_id).admin_id
    _require_edit(actor, owner)
    _host(session, owner, lock=True)
    return _schedule(session, schedule_id)


def _require_edit(actor: Actor, host_id: uuid.UUID) -> None:
    require(
        actor,
        "events.update",
        owners=frozenset({host_id}),
        what="change this person's availability",
    )


def _require_read(actor: Actor, host_id: uuid.UUID) -> None:
    require(
        actor, "events.read", owners=frozenset({host_id}), what="see this person's availability"
    )


def _schedules_of(session: Session, host_id: uuid.UUID) -> list[AvailabilitySchedule]:
    return list(
        session.scalars(
            select(AvailabilitySchedule)
            .where(AvailabilitySchedule.admin_id == host_id)
            .order_by(AvailabilitySchedule.is_default.desc(), AvailabilitySchedule.created_at)
        )
    )


def _weekly(session: Session, schedule_id: uuid.UUID) -> dict[int, Ranges]:
    week: dict[int, Ranges] = defaultdict(list)
    for rule in session.scalars(
        select(AvailabilityRule)
        .where(AvailabilityRule.schedule_id == schedule_id)
        .order_by(AvailabilityRule.weekday, AvailabilityRule.start_time)
    ):
        week[rule.weekday].append((rule.start_time, rule.end_time))
    return dict(week)


def _week_json(week: Mapping[int, Sequence[tuple[time, time]]]) -> dict[str, list[str]]:
    return {DAY_NAMES[d].lower(): _ranges_json(week[d]) for d in sorted(week) if week[d]}


def _override_rows(
    session: Session, schedule_id: uuid.UUID, day: date | None = None
) -> list[AvailabilityOverride]:
    stmt = select(AvailabilityOverride).where(AvailabilityOverride.schedule_id == schedule_id)
    if day is not None:
        stmt = stmt.where(AvailabilityOverride.day == day)
    return list(
        session.scalars(stmt.order_by(AvailabilityOverride.day, AvailabilityOverride.start_time))
    )


def _override_json(rows: Sequence[AvailabilityOverride]) -> str | list[str] | None:
    """An override as the audit log keeps it: "day off", its ranges, or None (no override)."""
    if not rows:
        return None
    ranges = [(r.start_time, r.end_time) for r in rows if r.start_time and r.end_time]
    return _ranges_json(ranges) if ranges else "day off"


def _schedule_json(session: Session, schedule: AvailabilitySchedule) -> dict[str, Any]:
    return snapshot(schedule, SCHEDULE_FIELDS) | {
        "hours": _week_json(_weekly(session, schedule.id))
    }


# Schedules -----------------------------------------------------------------------------


def _validate_schedule(
    session: Session, host_id: uuid.UUID, changes: Mapping[str, Any], exclude: uuid.UUID | None
) -> None:
    errors: dict[str, str] = {}
    if "name" in changes:
        name = str(changes["name"] or "").strip()
        same = select(AvailabilitySchedule.id).where(
            AvailabilitySchedule.admin_id == host_id,
            func.lower(AvailabilitySchedule.name) == name.lower(),
        )
        if exclude is not None:
            same = same.where(AvailabilitySchedule.id != exclude)
        taken = session.scalar(same)
        if not name:
            errors["name"] = "Please name the schedule."
        elif len(name) > 255:
            errors["name"] = "Use at most 255 characters."
        elif taken:
            errors["name"] = f"There is already a schedule called {name!r}."
    if "timezone" in changes:
        zone = str(changes["timezone"] or "").strip()
        if not zone or len(zone) > 64 or not valid_timezone(zone):
            errors["timezone"] = f"Unknown time zone {zone!r}; use a name like Europe/Berlin."
    if errors:
        raise InvalidSchedule(errors)


def _make_default(session: Session, schedule: AvailabilitySchedule) -> None:
    for other in _schedules_of(session, schedule.admin_id):
        other.is_default = other.id == schedule.id


def create_schedule(
    session: Session,
    actor: Actor,
    host_id: uuid.UUID,
    *,
    name: str,
    timezone: str,
    is_default: bool = False,
) -> AvailabilitySchedule:
    """A new schedule for `host_id`, starting with Monday-Friday 09:00-17:00; a person's
    first schedule is always their default."""
    _require_edit(actor, host_id)
    _host(session, host_id, lock=True)
    _validate_schedule(session, host_id, {"name": name, "timezone": timezone}, None)
    first = not _schedules_of(session, host_id)
    schedule = AvailabilitySchedule(
        org_id=actor.org_id,
        id=uuid.uuid4(),
        admin_id=host_id,
        name=name.strip(),
        timezone=timezone.strip(),
        is_default=is_default or first,
    )
    session.add(schedule)
    session.flush()
    if schedule.is_default:
        _make_default(session, schedule)
    _write_week(session, schedule, STANDARD_WEEK)
    audit(
        session,
        actor,
        "schedule.created",
        "schedule",
        schedule.id,
        after=_schedule_json(session, schedule),
    )
    return schedule


UPDATABLE = ("name", "timezone", "is_default")


def update_schedule(
    session: Session, actor: Actor, schedule_id: uuid.UUID, **changes: Any
) -> AvailabilitySchedule:
    """Rename a schedule, change its zone (hours keep their wall-clock times) or make it the
    default (the previous default stops being one)."""
    schedule = _editable_schedule(session, actor, schedule_id)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidSchedule({k: "Not a setting of a schedule." for k in sorted(unknown)})
    _validate_schedule(session, schedule.admin_id, changes, schedule.id)
    if changes.get("is_default") is False and schedule.is_default:
        raise InvalidSchedule(
            {"is_default": "Make another schedule the default instead; one must be."}
        )
    before = snapshot(schedule, SCHEDULE_FIELDS)
    for field in ("name", "timezone"):
        if field in changes:
            setattr(schedule, field, str(changes[field]).strip())
    if changes.get("is_default"):
        _make_default(session, schedule)
    session.flush()
    audit(
        session,
        actor,
        "schedule.updated",
        "schedule",
        schedule.id,
        before,
        snapshot(schedule, SCHEDULE_FIELDS),
    )
    return schedule


def delete_schedule(session: Session, actor: Actor, schedule_id: uuid.UUID) -> None:
    """Delete a schedule with its hours and overrides, unless it is the person's only or
    default schedule, or an event is pinned to it."""
    schedule = _editable_schedule(session, actor, schedule_id)
    pinned = session.scalars(
        select(Event.title).where(Event.schedule_id == schedule.id).order_by(Event.title)
    ).all()
    if pinned:
        raise InvalidSchedule(
            {"schedule": f"{', '.join(pinned)} uses this schedule; choose another one there first."}
        )
    if len(_schedules_of(session, schedule.admin_id)) == 1:
        raise InvalidSchedule({"schedule": "A person needs at least one schedule."})
    if schedule.is_default:
        raise InvalidSchedule(
            {"schedule": "This is the default schedule; make another one the default first."}
        )
    before = _schedule_json(session, schedule)
    session.delete(schedule)  # its rules and overrides go with it (ON DELETE CASCADE)
    session.flush()
    audit(session, actor, "schedule.deleted", "schedule", schedule_id, before)


# Weekly hours and date overrides -------------------------------------------------------


def _write_week(
    session: Session,
    schedule: AvailabilitySchedule,
    week: Mapping[int, Sequence[tuple[time, time]]],
) -> None:
    session.execute(delete(AvailabilityRule).where(AvailabilityRule.schedule_id == schedule.id))
    session.add_all(
        AvailabilityRule(
            org_id=schedule.org_id,
            schedule_id=schedule.id,
            weekday=day,
            start_time=start,
            end_time=end,
        )
        for day, ranges in sorted(week.items())
        for start, end in sorted(ranges)
    )
    session.flush()


def set_weekly_hours(
    session: Session,
    actor: Actor,
    schedule_id: uuid.UUID,
    week: Mapping[int, Sequence[tuple[time, time]]],
) -> dict[int, Ranges]:
    """Replace a schedule's whole week (weekday 0 = Monday; a day left out has no hours),
    in one transaction: either the new week is stored or the old one stays."""
    schedule = _editable_schedule(session, actor, schedule_id)
    errors: dict[str, str] = {}
    for day, ranges in week.items():
        if not isinstance(day, int) or day not in range(7):
            errors["hours"] = f"{day!r} is not a weekday (0 = Monday ... 6 = Sunday)."
        elif problem := _range_problem(ranges):
            errors[f"hours_{day}"] = problem
    if errors:
        raise InvalidSchedule(errors)
    before = _week_json(_weekly(session, schedule.id))
    _write_week(session, schedule, week)
    after = _weekly(session, schedule.id)
    audit(
        session,
        actor,
        "schedule.hours_set",
        "schedule",
        schedule.id,
        {"hours": before},
        {"hours": _week_json(after)},
    )
    return after


def set_date_override(
    session: Session,
    actor: Actor,
    schedule_id: uuid.UUID,
    day: date,
    hours: Sequence[tuple[time, time]] | None,
) -> None:
    """Replace one date's weekly hours with `hours`, or make it a day off (None)."""
    schedule = _editable_schedule(session, actor, schedule_id)
    errors: dict[str, str] = {}
    if isinstance(day, datetime) or not isinstance(day, date):
        errors["day"] = "Choose a date."
    if hours is not None and not hours:
        errors["hours"] = "Enter the hours for that day, or mark it as a day off."
    elif hours is not None and (problem := _range_problem(hours)):
        errors["hours"] = problem
    if errors:
        raise InvalidSchedule(errors)
    existing = _override_rows(session, schedule.id, day)
    before = _override_json(existing)
    for row in existing:
        session.delete(row)
    session.flush()
    spans: list[tuple[time | None, time | None]] = list(sorted(hours)) if hours else [(None, None)]
    session.add_all(
        AvailabilityOverride(
            org_id=schedule.org_id, schedule_id=schedule.id, day=day, start_time=s, end_time=e
        )
        for s, e in spans
    )
    session.flush()
    audit(
        session,
        actor,
        "schedule.override_set",
        "schedule",
        schedule.id,
        {"day": day, "hours": before},
        {"day": day, "hours": _override_json(_override_rows(session, schedule.id, day))},
    )


def delete_date_override(session: Session, actor: Actor, schedule_id: uuid.UUID, day: date) -> None:
    """Remove a date's override, so the weekly hours apply again that day."""
    schedule = _editable_schedule(session, actor, schedule_id)
    existing = _override_rows(session, schedule.id, day)
    if not existing:
        raise AvailabilityNotFound(f"There is no override on {day:%Y-%m-%d}.")
    before = _override_json(existing)
    for row in existing:
        session.delete(row)
    session.flush()
    audit(
        session,
        actor,
        "schedule.override_deleted",
        "schedule",
        schedule.id,
        {"day": day, "hours": before},
    )


# Time off ------------------------------------------------------------------------------


def _wall_to_utc(value: datetime, zone: ZoneInfo, *, fold: int) -> datetime | None:
    """`value` (wall clock in `zone`, or already aware) in UTC; None if that wall time is
    skipped by a clock change. `fold` picks the occurrence of a repeated wall time."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    local = value.replace(tzinfo=zone, fold=fold)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != value:
        return None
    return instant


def _time_off_json(row: TimeOff) -> dict[str, Any]:
    return snapshot(row, ("admin_id", "starts_at", "ends_at", "reason"))


def create_time_off(
    session: Session,
    actor: Actor,
    host_id: uuid.UUID,
    *,
    starts: datetime,
    ends: datetime,
    reason: str | None = None,
) -> TimeOff:
    """Time off for a person; naive `starts`/`ends` are wall clock in the person's zone."""
    _require_edit(actor, host_id)
    host = _host(session, host_id, lock=True)
    zone = ZoneInfo(host.timezone)
    errors: dict[str, str] = {}
    start_utc = _wall_to_utc(starts, zone, fold=0)
    end_utc = _wall_to_utc(ends, zone, fold=1)
    skipped = "{:%Y-%m-%d %H:%M} does not exist in {} (the clocks skip it)."
    if start_utc is None:
        errors["starts_at"] = skipped.format(starts, host.timezone)
    if end_utc is None:
        errors["ends_at"] = skipped.format(ends, host.timezone)
    elif start_utc is not None and end_utc <= start_utc:
        errors["ends_at"] = "Time off must end after it starts."
    reason = (reason or "").strip() or None
    if reason and len(reason) > 255:
        errors["reason"] = "Use at most 255 characters."
    if errors:
        raise InvalidSchedule(errors)
    assert start_utc is not None and end_utc is not None
    row = TimeOff(
        org_id=actor.org_id,
        id=uuid.uuid4(),
        admin_id=host_id,
        starts_at=start_utc,
        ends_at=end_utc,
        reason=reason,
    )
    session.add(row)
    session.flush()
    after = _time_off_json(row) | {"timezone": host.timezone}
    audit(session, actor, "time_off.created", "time_off", row.id, after=after)
    return row


def delete_time_off(session: Session, actor: Actor, time_off_id: uuid.UUID) -> None:
    """Remove a period of time off."""
    row = session.scalars(select(TimeOff).where(TimeOff.id == time_off_id)).first()
    if row is None:
        raise AvailabilityNotFound("We could not find that time off.")
    _require_edit(actor, row.admin_id)
    before = _time_off_json(row)
    session.delete(row)
    session.flush()
    audit(session, actor, "time_off.deleted", "time_off", time_off_id, before)


# Reading -------------------------------------------------------------------------------


def may_edit(actor: Actor, host_id: uuid.UUID) -> bool:
    """Whether `actor` may change this person's availability (for showing controls)."""
    return can(actor, "events.update", frozenset({host_id}))


def visible_hosts(session: Session, actor: Actor) -> list[Admin]:
    """Active people whose availability `actor` may read: themselves (own scope), their
    teams (team scope) or everyone (organisation scope), by name."""
    require(actor, "events.read", what="see availability")
    stmt = select(Admin).where(Admin.is_active).order_by(Admin.name, Admin.email)
    if actor.kind != "system" and actor.scope != "org":
        reach = {actor.admin_id} | (set(actor.teammates) if actor.scope == "team" else set())
        stmt = stmt.where(Admin.id.in_(reach))
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """One schedule with its week, upcoming overrides and the events pinned to it."""

    schedule: AvailabilitySchedule
    week: dict[int, Ranges]
    overrides: list[tuple[date, Ranges | None]]  # None: day off
    pinned_by: list[str]


@dataclass(frozen=True, slots=True)
class HostSchedules:
    """A person's schedules (default first) and their current and coming time off."""

    host: Admin
    schedules: list[ScheduleView]
    time_off: list[TimeOff]


def host_schedules(
    session: Session, actor: Actor, host_id: uuid.UUID, *, now: datetime
) -> HostSchedules:
    """Everything the Availability page shows about one person; overrides from today (in
    each schedule's zone) and time off that has not ended."""
    _require_read(actor, host_id)
    host = _host(session, host_id)
    views = []
    for schedule in _schedules_of(session, host_id):
        today = now.astimezone(ZoneInfo(schedule.timezone)).date()
        days: dict[date, Ranges] = defaultdict(list)
        for row in _override_rows(session, schedule.id):
            if row.day >= today:
                spans = days[row.day]
                if row.start_time and row.end_time:
                    spans.append((row.start_time, row.end_time))
        pinned = session.scalars(
            select(Event.title).where(Event.schedule_id == schedule.id).order_by(Event.title)
        ).all()
        views.append(
            ScheduleView(
                schedule,
                _weekly(session, schedule.id),
                [(d, spans or None) for d, spans in sorted(days.items())],
                list(pinned),
            )
        )
    time_off = session.scalars(
        select(TimeOff)
        .where(TimeOff.admin_id == host_id, TimeOff.ends_at > now)
        .order_by(TimeOff.starts_at)
    ).all()
    return HostSchedules(host, views, list(time_off))


def hosted_events(session: Session, actor: Actor, host_id: uuid.UUID) -> list[Event]:
    """Active events this person hosts, by title."""
    _require_read(actor, host_id)
    return list(
        session.scalars(
            select(Event)
            .join(EventHost, (EventHost.org_id == Event.org_id) & (EventHost.event_id == Event.id))
            .where(EventHost.admin_id == host_id, Event.is_active)
            .order_by(Event.title)
        )
    )


@dataclass(frozen=True, slots=True)
class Preview:
    """What attendees of `event` could book with this person, day by day in their zone."""

    event: Event
    timezone: str
    schedule_name: str | None  # the schedule the event uses for this person
    days: list[tuple[date, list[datetime]]]  # every day of the range; starts in `timezone`


def _schedule_used(session: Session, event: Event, host_id: uuid.UUID) -> str | None:
    """The event's pinned schedule if it is this person's, else their default: the choice
    `scheduling.booking.inputs` makes."""
    schedules = _schedules_of(session, host_id)
    pinned = next((s for s in schedules if s.id == event.schedule_id), None)
    chosen = pinned or (schedules[0] if schedules else None)
    return chosen.name if chosen else None


def preview_slots(
    session: Session,
    actor: Actor,
    host_id: uuid.UUID,
    event_id: uuid.UUID,
    *,
    now: datetime,
    days: int = PREVIEW_DAYS,
) -> Preview:
    """The next `days` days (from today in the person's zone) of slots of `event_id` that
    this person could take: exactly the booking pages' slots, including buffers, notice,
    limits, bookings and time off."""
    _require_read(actor, host_id)
    host = _host(session, host_id)
    event = session.scalars(select(Event).where(Event.id == event_id, Event.is_active)).first()
    if event is None or host_id not in {h.id for h in event_hosts(session, event)}:
        raise InvalidSchedule({"event": f"{host.name} does not host that event."})
    zone = ZoneInfo(host.timezone)
    today = now.astimezone(zone).date()
    last = today + timedelta(days=days - 1)
    start, end = local_days(today, last, host.timezone)
    slots = [s for s in list_slots(session, event, start, end, now=now) if host_id in s.host_ids]
    by_day = slots_by_day(slots, host.timezone)
    return Preview(
        event,
        host.timezone,
        _schedule_used(session, event, host_id),
        [
            (day, [s.start.astimezone(zone) for s in by_day.get(day, [])])
            for day in (today + timedelta(days=i) for i in range(days))
        ],
    )
