"""A realistic made-up booking for previews: every field a message can show is filled in.

Nothing here touches the database: the console renders templates against this booking so
an admin sees what attendees and hosts will read before saving anything.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.models.enums import TemplateKind
from scheduling.notify.view import BookingView, Person

SAMPLE_HOST = Person("Alex Rivera", "alex.rivera@example.com", "America/New_York")
SAMPLE_ATTENDEE = Person("Maya Okafor", "maya.okafor@example.com", "Europe/London")
SAMPLE_GUEST = Person("jordan.lee@example.com", "jordan.lee@example.com", "Europe/London")
SAMPLE_BASE_URL = "https://book.example.com"
SAMPLE_SLUG = "portfolio-review"

_STATUS = {
    TemplateKind.APPROVAL_REQUESTED: "pending_approval",
    TemplateKind.CANCELLATION: "cancelled",
    TemplateKind.DECLINED: "declined",
}


def sample_start(now: datetime) -> datetime:
    """10:00 New York time on the first weekday at least three days after `now`."""
    zone = ZoneInfo(SAMPLE_HOST.timezone)
    day = now.astimezone(zone).date() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=zone)


def sample_view(
    kind: TemplateKind,
    *,
    now: datetime,
    organization: str = "Northwind Learning",
    event_title: str = "Portfolio Review",
    duration_minutes: int = 30,
) -> BookingView:
    """The sample booking as a message of `kind` sees it (a reschedule has an old time,
    a cancellation a reason, a reminder its lead time)."""
    start = sample_start(now)
    moved = kind is TemplateKind.RESCHEDULE
    ending = kind in (TemplateKind.CANCELLATION, TemplateKind.DECLINED)
    extra = {"event_slug": SAMPLE_SLUG}
    if kind is TemplateKind.REMINDER:
        extra["starts_in"] = "in 24 hours"
    if kind is TemplateKind.CANCELLATION:
        extra["cancelled_by"] = SAMPLE_ATTENDEE.email
    return BookingView(
        booking_id="00000000-0000-4000-8000-000000000001",
        ical_uid="sample@liveschool",
        sequence=1 if moved or ending else 0,
        status=_STATUS.get(kind, "confirmed"),
        organization=organization,
        event_title=event_title,
        event_description="A 1:1 review of your portfolio with written feedback.",
        duration_minutes=duration_minutes,
        start=start,
        end=start + timedelta(minutes=duration_minutes),
        location="Studio 4, 12 Harbour Street",
        video_link="https://meet.example.com/abc-defg-hij",
        hosts=(SAMPLE_HOST,),
        attendee=SAMPLE_ATTENDEE,
        guests=(SAMPLE_GUEST,),
        answers=(
            ("What would you like to discuss?", "Layout of my case studies"),
            ("Portfolio link", "https://maya.example.com"),
        ),
        prep_resources=(("Portfolio checklist", "https://example.com/checklist"),),
        manage_url=f"{SAMPLE_BASE_URL}/booking/sample?token=sample-token",
        cancellation_reason="Something came up at work, sorry!" if ending else "",
        previous_start=start - timedelta(days=1) if moved else None,
        previous_end=start - timedelta(days=1, minutes=-duration_minutes) if moved else None,
        extra=extra,
    )


def sample_booking_page_url() -> str:
    """The sample event's public booking page."""
    return f"{SAMPLE_BASE_URL}/book/{SAMPLE_SLUG}"
