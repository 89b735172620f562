"""Every console page under every built-in role: the menu each role gets, and each page in it
opening cleanly as that person; pages left out of a role's menu refuse when run directly."""

from __future__ import annotations

import pytest

from admin_streamlit.navigation import PAGES, visible_pages
from tests.conftest import TestDatabase
from tests.console.harness import ROLES, Staff, make_staff

EVERY = [p.title for p in PAGES]
MENUS = {
    "super_admin": EVERY,
    "admin": EVERY,
    "manager": [
        "Home", "Bookings", "Events", "Availability", "People", "Roles", "Email templates",
        "Analytics", "Overview",
    ],
    "member": [
        "Home", "Bookings", "Events", "Availability", "People", "Roles", "Email templates",
        "Overview",
    ],
    "viewer": [
        "Home", "Bookings", "Events", "Availability", "People", "Roles", "Email templates",
        "Analytics", "Overview",
    ],
}  # fmt: skip


@pytest.fixture
def staff(db: TestDatabase) -> Staff:
    return make_staff(db)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_menu_and_every_page_in_it_opens(staff: Staff, role: str) -> None:
    shown = visible_pages(staff.actor(role))
    assert [p.title for p in shown] == MENUS[role]
    for page in shown:
        at = staff.page(page.name, role)
        assert not at.exception, (page.name, at.exception)
        assert at.title[0].value == page.title


@pytest.mark.parametrize("role", ["manager", "member", "viewer"])
def test_pages_outside_the_menu_refuse_when_run_directly(staff: Staff, role: str) -> None:
    hidden = [p for p in PAGES if p.title not in MENUS[role]]
    assert hidden
    for page in hidden:
        at = staff.page(page.name, role)
        assert not at.exception, (page.name, at.exception)
        refusals = [e.value for e in at.error] + [i.value for i in at.info]
        assert any("not allowed" in r.lower() or "only" in r.lower() for r in refusals), (
            page.name,
            refusals,
        )
        assert len(at.dataframe) == 0, page.name
