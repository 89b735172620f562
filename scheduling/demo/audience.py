"""Who books and how they arrive: attendee regions with names and zones, traffic channels.

Pure data for the generator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """Where attendees live: their names, zones, mail providers and phone prefix."""

    name: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    zones: tuple[str, ...]
    mail_domains: tuple[str, ...]
    phone_prefix: str


REGIONS: dict[str, Region] = {
    r.name: r
    for r in (
        Region(
            "north_america",
            (
                "Emma",
                "Noah",
                "Olivia",
                "Liam",
                "Ava",
                "Ethan",
                "Sophia",
                "Mason",
                "Isabella",
                "Lucas",
                "Mia",
                "Jackson",
                "Harper",
                "Aiden",
                "Madison",
                "Tyler",
                "Grace",
                "Caleb",
            ),
            (
                "Johnson",
                "Williams",
                "Brown",
                "Garcia",
                "Miller",
                "Davis",
                "Rodriguez",
                "Wilson",
                "Anderson",
                "Taylor",
                "Moore",
                "Jackson",
                "Martin",
                "Lee",
                "Walker",
                "Hall",
            ),
            (
                "America/New_York",
                "America/Chicago",
                "America/Denver",
                "America/Los_Angeles",
                "America/Toronto",
                "America/Phoenix",
            ),
            ("gmail.com", "yahoo.com", "outlook.com", "icloud.com"),
            "+1",
        ),
        Region(
            "latin_america",
            (
                "Mateo",
                "Valentina",
                "Santiago",
                "Camila",
                "Sebastián",
                "Lucía",
                "Diego",
                "Mariana",
                "Gabriel",
                "Isabela",
                "Thiago",
                "Renata",
            ),
            (
                "González",
                "Silva",
                "Pérez",
                "Santos",
                "Ramírez",
                "Oliveira",
                "Torres",
                "Costa",
                "Herrera",
                "Castillo",
            ),
            (
                "America/Mexico_City",
                "America/Sao_Paulo",
                "America/Bogota",
                "America/Argentina/Buenos_Aires",
                "America/Lima",
                "America/Santiago",
            ),
            ("gmail.com", "hotmail.com", "outlook.com"),
            "+52",
        ),
        Region(
            "europe",
            (
                "Lukas",
                "Anna",
                "Luca",
                "Sofia",
                "Hugo",
                "Chloé",
                "Jakub",
                "Zofia",
                "Matteo",
                "Freya",
                "Oscar",
                "Ella",
                "Finn",
                "Ines",
                "Max",
                "Alice",
            ),
            (
                "Müller",
                "Rossi",
                "Dubois",
                "Kowalski",
                "Jansen",
                "García",
                "Smith",
                "Jones",
                "Nielsen",
                "Novak",
                "Schmidt",
                "Bianchi",
                "Evans",
                "Murphy",
            ),
            (
                "Europe/London",
                "Europe/Berlin",
                "Europe/Paris",
                "Europe/Madrid",
                "Europe/Warsaw",
                "Europe/Rome",
                "Europe/Amsterdam",
                "Europe/Dublin",
                "Europe/Stockholm",
            ),
            ("gmail.com", "outlook.com", "web.de", "yahoo.co.uk", "proton.me"),
            "+44",
        ),
        Region(
            "africa",
            (
                "Chidi",
                "Amina",
                "Kwame",
                "Zainab",
                "Tunde",
                "Wanjiru",
                "Sipho",
                "Fatima",
                "Kofi",
                "Nia",
                "Emeka",
                "Thandiwe",
            ),
            (
                "Okonkwo",
                "Mensah",
                "Mwangi",
                "Adeyemi",
                "Nkosi",
                "Diallo",
                "Osei",
                "Kamau",
                "Abubakar",
                "Dlamini",
            ),
            (
                "Africa/Lagos",
                "Africa/Nairobi",
                "Africa/Johannesburg",
                "Africa/Accra",
                "Africa/Cairo",
            ),
            ("gmail.com", "yahoo.com", "outlook.com"),
            "+234",
        ),
        Region(
            "middle_east",
            ("Omar", "Layla", "Yusuf", "Mariam", "Karim", "Noor", "Ali", "Sara", "Emre", "Elif"),
            ("Haddad", "Al-Sayed", "Khalil", "Rahman", "Yilmaz", "Mansour", "Aziz", "Demir"),
            ("Asia/Dubai", "Asia/Riyadh", "Europe/Istanbul", "Asia/Amman", "Asia/Qatar"),
            ("gmail.com", "outlook.com", "hotmail.com"),
            "+971",
        ),
        Region(
            "south_asia",
            (
                "Aarav",
                "Ananya",
                "Vihaan",
                "Diya",
                "Arjun",
                "Isha",
                "Rohan",
                "Priyanka",
                "Aditya",
                "Sneha",
                "Zara",
                "Imran",
            ),
            (
                "Sharma",
                "Patel",
                "Iyer",
                "Gupta",
                "Reddy",
                "Khan",
                "Nair",
                "Chowdhury",
                "Singh",
                "Mehta",
            ),
            ("Asia/Kolkata", "Asia/Karachi", "Asia/Dhaka", "Asia/Colombo", "Asia/Kathmandu"),
            ("gmail.com", "yahoo.in", "outlook.com", "rediffmail.com"),
            "+91",
        ),
        Region(
            "east_asia",
            (
                "Wei",
                "Mei",
                "Hiroshi",
                "Yuki",
                "Min-jun",
                "Ji-woo",
                "Linh",
                "Minh",
                "Siti",
                "Arif",
                "Jia Hui",
                "Kenji",
                "Paolo",
                "Andrea",
            ),
            (
                "Wang",
                "Li",
                "Chen",
                "Tanaka",
                "Sato",
                "Kim",
                "Park",
                "Nguyen",
                "Tran",
                "Tan",
                "Santos",
                "Wijaya",
                "Lim",
            ),
            (
                "Asia/Shanghai",
                "Asia/Tokyo",
                "Asia/Seoul",
                "Asia/Singapore",
                "Asia/Manila",
                "Asia/Jakarta",
                "Asia/Ho_Chi_Minh",
                "Asia/Hong_Kong",
                "Asia/Kuala_Lumpur",
            ),
            ("gmail.com", "qq.com", "naver.com", "yahoo.co.jp", "outlook.com"),
            "+65",
        ),
        Region(
            "oceania",
            (
                "Jack",
                "Charlotte",
                "Cooper",
                "Matilda",
                "Lachlan",
                "Ruby",
                "Archie",
                "Isla",
                "Hamish",
                "Zoe",
                "Nikau",
                "Aroha",
            ),
            (
                "Smith",
                "Wilson",
                "Kelly",
                "Walker",
                "Campbell",
                "Mitchell",
                "Stewart",
                "Ngata",
                "Thompson",
                "White",
            ),
            (
                "Australia/Sydney",
                "Australia/Melbourne",
                "Australia/Brisbane",
                "Australia/Perth",
                "Australia/Adelaide",
                "Pacific/Auckland",
            ),
            ("gmail.com", "bigpond.com", "outlook.com", "icloud.com"),
            "+61",
        ),
    )
}

# Where an event's attendees come from, by the zone of its primary host.
AUDIENCE_BY_ZONE: dict[str, dict[str, float]] = {
    "America/New_York": {
        "north_america": 6,
        "latin_america": 1.5,
        "europe": 0.7,
        "africa": 0.6,
        "south_asia": 1,
        "east_asia": 0.8,
        "middle_east": 0.3,
    },
    "Europe/London": {
        "europe": 4,
        "africa": 2,
        "middle_east": 1.5,
        "south_asia": 1.5,
        "north_america": 0.6,
        "latin_america": 0.4,
    },
    "Australia/Sydney": {
        "oceania": 4,
        "east_asia": 3,
        "south_asia": 1.2,
        "middle_east": 0.3,
        "europe": 0.3,
    },
}


@dataclass(frozen=True)
class Channel:
    """A traffic source: its attribution tags, share of bookings and conversion per visit."""

    name: str
    booking_share: float
    conversion: float
    no_show_rate: float
    medium: str | None
    sources: tuple[tuple[str | None, str | None], ...]  # (utm_source, referrer)
    campaigns: tuple[str | None, ...]


CHANNELS: tuple[Channel, ...] = (
    Channel(
        "paid_search",
        0.22,
        0.12,
        0.17,
        "cpc",
        (("google", "https://www.google.com/"),),
        (
            "admissions-2027-intake",
            "financial-aid-search",
            "international-students",
            "tutoring-brand",
        ),
    ),
    Channel(
        "organic_search",
        0.12,
        0.20,
        0.10,
        None,
        (
            (None, "https://www.google.com/"),
            (None, "https://www.bing.com/"),
            (None, "https://duckduckgo.com/"),
        ),
        (None,),
    ),
    Channel(
        "email",
        0.16,
        0.30,
        0.09,
        "email",
        (("newsletter", None),),
        ("digest-{month}", "info-session-invite", "application-reminder"),
    ),
    Channel(
        "social",
        0.08,
        0.07,
        0.21,
        "social",
        (
            ("linkedin", "https://www.linkedin.com/"),
            ("instagram", "https://l.instagram.com/"),
            ("facebook", "https://m.facebook.com/"),
        ),
        ("student-stories", "partnerships-outreach", "career-week"),
    ),
    Channel(
        "referral",
        0.12,
        0.25,
        0.08,
        "referral",
        (
            ("studyabroad-hub", "https://www.studyabroadhub.example/guides/choosing-a-school"),
            ("collegeprep-weekly", "https://collegeprepweekly.example/newsletter/latest"),
            ("counsellor-network", "https://counsellors.example/resources/booking-links"),
        ),
        ("partner-referral",),
    ),
    Channel("direct", 0.30, 0.40, 0.07, None, ((None, None),), (None,)),
)

USER_AGENTS: tuple[str, ...] = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
)

# Mail domains of schools and employers, for work-email answers of partnership bookings.
WORK_DOMAINS: tuple[str, ...] = (
    "riverside-hs.example",
    "brightpath-education.example",
    "harbourtech.example",
    "stcolumbas.example",
    "lumencareers.example",
    "atlas-studyabroad.example",
    "kestrel-analytics.example",
    "greenfield-cc.example",
)
