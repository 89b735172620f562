"""Static content of the demo organisation: hosts, hours, teams, events, questions and tags.

Pure data, no logic: the generator reads these specs and turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduling.models.enums import LocationType, MeetingType, QuestionType, TeamRole

ORG_NAME = "Northwind Learning"
ORG_SLUG = "northwind"
ORG_TIMEZONE = "America/New_York"
DOMAIN = "northwind-learning.example"
SITE = f"https://{DOMAIN}"
MEET = f"https://meet.{DOMAIN}"

NEW_YORK = "America/New_York"
LONDON = "Europe/London"
SYDNEY = "Australia/Sydney"

WallRange = tuple[str, str]

# Weekly working-hour patterns, weekday (0 = Monday) -> wall-clock ranges in the host's zone.
WORKING_HOURS: dict[str, dict[int, tuple[WallRange, ...]]] = {
    "standard": {d: (("09:00", "17:00"),) for d in range(5)},
    "lunch_gap": {d: (("09:00", "12:30"), ("13:30", "17:30")) for d in range(5)},
    "four_day": {d: (("08:30", "17:30"),) for d in range(4)},
    "early": {d: (("07:30", "15:30"),) for d in range(5)},
    "late": {d: (("10:00", "18:00"),) for d in range(5)},
    "evenings": {
        **{d: (("12:00", "20:00"),) for d in range(4)},
        5: (("10:00", "14:00"),),
    },
    "short_friday": {
        **{d: (("09:00", "17:30"),) for d in range(4)},
        4: (("09:00", "13:00"),),
    },
}

SCHEDULE_NAMES = {
    "standard": "Working hours",
    "lunch_gap": "Working hours (lunch 12:30-13:30)",
    "four_day": "Four-day week",
    "early": "Early starts",
    "late": "Late starts",
    "evenings": "Tutoring afternoons and Saturday mornings",
    "short_friday": "Working hours (half-day Friday)",
}


@dataclass(frozen=True)
class HostSpec:
    """One host: who, where, which hours and how much they take on."""

    name: str
    timezone: str
    hours: str
    max_per_day: int | None
    max_per_week: int | None
    buffer_before: int
    buffer_after: int


HOSTS: tuple[HostSpec, ...] = (
    HostSpec("Maya Thompson", NEW_YORK, "lunch_gap", 6, 25, 5, 10),
    HostSpec("Daniel Okafor", NEW_YORK, "standard", 6, 24, 0, 15),
    HostSpec("Priya Raman", NEW_YORK, "early", 5, 22, 0, 10),
    HostSpec("Carlos Mendoza", NEW_YORK, "evenings", 6, 28, 5, 15),
    HostSpec("Rachel Kim", NEW_YORK, "late", 6, 24, 0, 15),
    HostSpec("Oliver Hughes", LONDON, "standard", 6, 24, 0, 15),
    HostSpec("Amara Nwosu", LONDON, "four_day", 7, 26, 5, 10),
    HostSpec("Sophie Clarke", LONDON, "lunch_gap", 5, 18, 0, 15),
    HostSpec("James Whitfield", LONDON, "short_friday", 5, 20, 10, 15),
    HostSpec("Chloe Nguyen", SYDNEY, "early", 8, 32, 0, 15),
    HostSpec("Liam O'Brien", SYDNEY, "late", 5, 22, 0, 10),
    HostSpec("Hannah Patel", SYDNEY, "standard", 6, 25, 5, 15),
)

# Public holidays per zone as (month, day); Thanksgiving is added for New York by rule.
HOLIDAYS: dict[str, tuple[tuple[int, int], ...]] = {
    NEW_YORK: ((1, 1), (7, 4), (12, 25)),
    LONDON: ((1, 1), (12, 25), (12, 26)),
    SYDNEY: ((1, 1), (1, 26), (4, 25), (12, 25), (12, 26)),
}

# Changed hours a host sets for one day, wall clock.
CHANGED_DAYS: tuple[WallRange, ...] = (("10:00", "14:00"), ("12:00", "16:00"), ("09:00", "12:00"))

TIME_OFF_REASONS = (
    "Annual leave",
    "Conference: NACAC",
    "Family holiday",
    "Training day",
    "Moving house",
    "Recruitment fair travel",
)


@dataclass(frozen=True)
class TeamSpec:
    """A team and its members (host names) with their roles, in display order."""

    name: str
    slug: str
    description: str
    members: tuple[tuple[str, TeamRole], ...]


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        "Admissions",
        "admissions",
        "Advisers who guide applicants from first question to enrolment, on three continents.",
        (
            ("Maya Thompson", TeamRole.OWNER),
            ("Daniel Okafor", TeamRole.ADMIN),
            ("Priya Raman", TeamRole.MEMBER),
            ("Oliver Hughes", TeamRole.MEMBER),
            ("Amara Nwosu", TeamRole.MEMBER),
            ("Chloe Nguyen", TeamRole.MEMBER),
        ),
    ),
    TeamSpec(
        "Tutoring",
        "tutoring",
        "Subject tutors for maths, science and writing, online and in our study centres.",
        (
            ("Carlos Mendoza", TeamRole.OWNER),
            ("Sophie Clarke", TeamRole.MEMBER),
            ("Liam O'Brien", TeamRole.MEMBER),
        ),
    ),
    TeamSpec(
        "Partnerships",
        "partnerships",
        "Work with schools, employers and counsellors who send students our way.",
        (
            ("Rachel Kim", TeamRole.OWNER),
            ("James Whitfield", TeamRole.ADMIN),
            ("Hannah Patel", TeamRole.MEMBER),
            ("Maya Thompson", TeamRole.MEMBER),
        ),
    ),
)


@dataclass(frozen=True)
class QuestionSpec:
    """A booking-form question; `topic` marks the free-text one whose answers carry a topic."""

    label: str
    kind: QuestionType
    required: bool = False
    options: tuple[str, ...] = ()
    help_text: str | None = None
    samples: tuple[str, ...] = ()
    number_range: tuple[int, int] = (0, 0)
    topic: bool = False


DISCUSS = QuestionSpec(
    "What would you like to discuss?",
    QuestionType.TEXTAREA,
    required=True,
    help_text="A sentence or two helps your adviser prepare.",
    topic=True,
)
DISCUSS_OPTIONAL = QuestionSpec(
    "Anything you'd like us to cover?",
    QuestionType.TEXTAREA,
    help_text="Optional: we'll try to get to it during the session.",
    topic=True,
)
PHONE = QuestionSpec("Phone number (in case the video link fails)", QuestionType.PHONE)
ROLE = QuestionSpec(
    "I am a...",
    QuestionType.SELECT,
    required=True,
    options=(
        "Prospective student",
        "Parent or guardian",
        "School counsellor",
        "Transfer applicant",
    ),
)
WORK_EMAIL = QuestionSpec("Work email", QuestionType.EMAIL, required=True)
ORGANISATION = QuestionSpec(
    "Organisation name",
    QuestionType.TEXT,
    required=True,
    samples=(
        "Riverside High School",
        "Brightpath Education Consultants",
        "Harbour Tech Apprenticeships",
        "St. Columba's College",
        "Lumen Career Services",
        "Atlas Study Abroad",
        "Kestrel Analytics Ltd",
        "Greenfield Community College",
    ),
)


@dataclass(frozen=True)
class ResourceSpec:
    """Material to look at before a meeting."""

    title: str
    path: str
    description: str


@dataclass(frozen=True)
class SessionSpec:
    """A weekly group session: host name, weekday (0 = Monday) and wall-clock start."""

    host: str
    weekday: int
    start: str


@dataclass(frozen=True)
class EventSpec:
    """An event type with its hosts (first is primary) and how often it gets booked."""

    slug: str
    title: str
    description: str
    meeting_type: MeetingType
    hosts: tuple[str, ...]
    duration: int
    location_type: LocationType = LocationType.VIDEO
    location: str | None = None
    increment: int | None = None
    capacity: int = 1
    notice_hours: int = 24
    window_days: int = 60
    max_daily: int | None = None
    max_weekly: int | None = None
    require_approval: bool = False
    buffer_before: int | None = None
    buffer_after: int | None = None
    guest_limit: int = 0
    lock_timezone: bool = False
    questions: tuple[QuestionSpec, ...] = ()
    resources: tuple[ResourceSpec, ...] = ()
    sessions: tuple[SessionSpec, ...] = ()
    weekly_rate: float = 5.0
    mean_lead_days: float = 4.0
    topics: dict[str, float] = field(default_factory=dict)


# Relative booking demand by month (admissions season peaks in autumn and January).
DEMAND_BY_MONTH = {
    1: 1.25,
    2: 1.0,
    3: 1.0,
    4: 0.9,
    5: 0.8,
    6: 0.6,
    7: 0.6,
    8: 0.9,
    9: 1.2,
    10: 1.3,
    11: 1.2,
    12: 0.7,
}
# Relative demand by weekday, Monday first; the week's rate is spread over five days.
DEMAND_BY_WEEKDAY = (1.15, 1.1, 1.0, 1.0, 0.75, 0.3, 0.1)
# How many guests an attendee brings when the event allows them: 0, 1, 2.
GUEST_COUNT_WEIGHTS = (0.72, 0.2, 0.08)
# Share of group-session seats taken by the time a session starts.
SESSION_FILL = (0.3, 0.9)
