"""The console's pages and who may see each: data only, so tests can read it too."""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.access import Actor, can


@dataclass(frozen=True, slots=True)
class ConsolePage:
    """One page: its script under admin_streamlit/, title, icon, and the permission to see it."""

    path: str
    title: str
    icon: str
    permission: str | None = None  # None: everyone signed in
    org_wide: bool = False  # the permission must reach the whole organisation

    @property
    def name(self) -> str:
        """The script's name, which is also its URL path."""
        return self.path.removeprefix("pages/").removesuffix(".py")


PAGES: tuple[ConsolePage, ...] = (
    ConsolePage("pages/home.py", "Home", ":material/home:"),
    ConsolePage("pages/bookings.py", "Bookings", ":material/event_available:", "bookings.read"),
    ConsolePage("pages/events.py", "Events", ":material/event_note:", "events.read"),
    ConsolePage("pages/availability.py", "Availability", ":material/schedule:", "events.read"),
    ConsolePage("pages/people.py", "People", ":material/group:", "team.view"),
    ConsolePage("pages/roles.py", "Roles", ":material/badge:", "team.view"),
    ConsolePage("pages/templates.py", "Email templates", ":material/mail:", "events.read"),
    ConsolePage("pages/analytics.py", "Analytics", ":material/insights:", "analytics.view"),
    ConsolePage("pages/overview.py", "Overview", ":material/dashboard:"),
    # The audit log and the mailbox show everyone's data: a manager's team.manage, which
    # covers their teams only, is not enough.
    ConsolePage("pages/audit.py", "Audit log", ":material/policy:", "team.manage", org_wide=True),
    ConsolePage("pages/mailbox.py", "Mailbox", ":material/inbox:", "team.manage", org_wide=True),
)


def visible_pages(actor: Actor) -> list[ConsolePage]:
    """The pages `actor` may open, in menu order."""
    return [
        page
        for page in PAGES
        if page.permission is None
        or can(actor, page.permission, frozenset() if page.org_wide else None)
    ]
