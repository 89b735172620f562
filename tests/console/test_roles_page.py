"""The Roles page per built-in role: read-only built-ins, editing a custom role's matrix."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from scheduling.access import Actor, assign_role, create_account, create_role
from scheduling.access.permissions import granted
from scheduling.db import tenant_session
from scheduling.models import AuditLog, Role
from tests.conftest import TestDatabase
from tests.console.fields import message_under
from tests.console.harness import Staff, make_staff


@dataclass
class Desk:
    """Staff in every built-in role; custom roles `Coordinator` (nobody holds it) and
    `Scheduler` (held by one extra person, Sol)."""

    staff: Staff
    coordinator: uuid.UUID
    scheduler: uuid.UUID

    def page(self, role: str, pick: str | None = None) -> AppTest:
        at = self.staff.page("roles", role)
        if pick is not None:
            at.selectbox(key="role_pick").set_value(pick).run()
        assert not at.exception
        return at

    def role(self, role_id: uuid.UUID) -> Role | None:
        with tenant_session(self.staff.db.app_engine, self.staff.org) as s:
            return s.get(Role, (self.staff.org, role_id))

    def audit(self, action: str) -> list[AuditLog]:
        with tenant_session(self.staff.db.app_engine, self.staff.org) as s:
            return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


@pytest.fixture
def desk(db: TestDatabase) -> Desk:
    staff = make_staff(db)
    system = Actor.system(staff.org)
    with tenant_session(db.app_engine, staff.org) as s:
        coordinator = create_role(
            s, system, "Coordinator", {"bookings.read", "bookings.update"}, "team", "Runs desks"
        ).id
        scheduler = create_role(s, system, "Scheduler", {"events.read"}, "own").id
        sol = create_account(
            s, system, name="Sol", email="sol@acme.test", timezone="UTC", role="member"
        )
        assign_role(s, system, sol.id, scheduler)
    return Desk(staff, coordinator, scheduler)


def key(role_id: uuid.UUID, field: str) -> str:
    return f"edit_role_{role_id.hex[:8]}_{field}"


@pytest.mark.parametrize(
    ("role", "manages"),
    [
        ("super_admin", True),
        ("admin", True),
        ("manager", False),
        ("member", False),
        ("viewer", False),
    ],
)
def test_every_role_sees_the_roles_and_only_administrators_change_them(
    desk: Desk, role: str, manages: bool
) -> None:
    at = desk.page(role, "Coordinator")
    assert at.dataframe[0].value["role"].to_list() == [
        "admin",
        "manager",
        "member",
        "super_admin",
        "viewer",
        "Coordinator",
        "Scheduler",
    ]
    buttons = {b.key for b in at.button}
    assert ("FormSubmitter:new_role-Create role" in buttons) is manages
    assert ("FormSubmitter:edit_role-Save role" in buttons) is manages
    assert ("delete_role_button" in buttons) is manages
    if not manages:
        assert at.info[0].value == "Only administrators can create, change or delete roles."
        boxes = [c for c in at.checkbox if c.key.startswith("view_")]
        assert [c.key.split("_", 2)[2] for c in boxes if c.value] == [
            "bookings_read",
            "bookings_update",
        ]
        assert all(c.disabled for c in boxes)


def test_built_in_roles_are_shown_read_only(desk: Desk) -> None:
    at = desk.page("admin", "manager")
    assert "FormSubmitter:edit_role-Save role" not in {b.key for b in at.button}
    assert "Built-in roles cannot be changed" in " ".join(c.value for c in at.caption)
    boxes = {c.key.split("_", 2)[2]: c for c in at.checkbox if c.key.startswith("view_")}
    assert all(c.disabled for c in boxes.values())
    assert boxes["team_manage"].value and not boxes["billing_view"].value


def test_the_caption_counts_who_holds_a_role(desk: Desk) -> None:
    at = desk.page("viewer", "Scheduler")
    assert at.caption[0].value == ("No description. Applies to: What they host. Held by 1 person.")


def test_admin_edits_name_description_scope_and_matrix(desk: Desk) -> None:
    at = desk.page("admin", "Coordinator")
    c = desk.coordinator
    at.text_input(key=key(c, "name")).input("Front desk")
    at.text_input(key=key(c, "desc")).input("Greets and books")
    at.selectbox(key=key(c, "scope")).set_value("org")
    at.checkbox(key=key(c, "bookings_update")).uncheck()
    at.checkbox(key=key(c, "events_read")).check()
    at.checkbox(key=key(c, "bookings_export")).check()
    at.button(key="FormSubmitter:edit_role-Save role").click().run()
    assert not at.exception
    saved = desk.role(c)
    assert saved is not None
    assert (saved.name, saved.description, saved.scope) == ("Front desk", "Greets and books", "org")
    assert granted(saved.permissions) == {"bookings.read", "bookings.export", "events.read"}
    (row,) = desk.audit("role.updated")
    assert row.actor_label == "admin@acme.test"
    assert at.success[0].value == "Role 'Front desk' saved."
    assert at.selectbox(key="role_pick").value == "Front desk"  # still on the renamed role


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("empty name", "name", "A role needs a name of at most 100 characters."),
        ("taken name", "name", "A role called 'scheduler' exists already."),
        (
            "billing",
            "billing_view",
            "You cannot grant permissions you do not have yourself: billing.manage.",
        ),
    ],
)
def test_refused_edits_show_under_the_field_and_write_nothing(
    desk: Desk, change: str, field: str, message: str
) -> None:
    at = desk.page("admin", "Coordinator")
    c = desk.coordinator
    if change == "empty name":
        at.text_input(key=key(c, "name")).input("  ")
    elif change == "taken name":
        at.text_input(key=key(c, "name")).input("scheduler")
    else:
        at.checkbox(key=key(c, "billing_manage")).check()
    at.button(key="FormSubmitter:edit_role-Save role").click().run()
    assert not at.exception
    # The permissions' message sits under the grid, whose last box is billing / view.
    assert message_under(at, key(c, field)) == message
    saved = desk.role(c)
    assert saved is not None
    assert (saved.name, granted(saved.permissions)) == (
        "Coordinator",
        {"bookings.read", "bookings.update"},
    )
    assert desk.audit("role.updated") == []


def test_unused_custom_roles_can_be_deleted_held_ones_cannot(desk: Desk) -> None:
    at = desk.page("super_admin", "Scheduler")
    assert "delete_role_button" not in {b.key for b in at.button}
    assert "Give its holders another role" in " ".join(c.value for c in at.caption)
    at.selectbox(key="role_pick").set_value("Coordinator").run()
    at.button(key="delete_role_button").click().run()
    assert not at.exception
    assert desk.role(desk.coordinator) is None
    assert [r.old_values["name"] for r in desk.audit("role.deleted")] == ["Coordinator"]
    assert "Coordinator" not in at.dataframe[0].value["role"].to_list()
