"""The People page: invite, change settings, bad input writes nothing (AppTest)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.access import Actor, actor_for, create_account, ensure_builtin_roles
from scheduling.db import tenant_session
from scheduling.models import Admin, AuditLog
from tests.conftest import ROOT, TestDatabase
from tests.factories import make_org

PAGE = str(ROOT / "admin_streamlit" / "pages" / "people.py")


@pytest.fixture
def org(db: TestDatabase) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    org_id = make_org(db)
    ids = {}
    with tenant_session(db.app_engine, org_id) as s:
        ensure_builtin_roles(s, org_id)
        for role in ("admin", "viewer"):
            ids[role] = create_account(
                s,
                Actor.system(org_id),
                name=f"{role.title()} Person",
                email=f"{role}@acme.test",
                timezone="UTC",
                role=role,
            ).id
    return org_id, ids


def page_as(db: TestDatabase, org: uuid.UUID, admin_id: uuid.UUID) -> AppTest:
    with tenant_session(db.app_engine, org) as s:
        actor = actor_for(s, admin_id)
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[DATABASE_KEY] = db.app_url
    at.session_state[ACTOR_KEY] = actor
    return at.run()


def people(db: TestDatabase, org: uuid.UUID) -> int:
    with tenant_session(db.app_engine, org) as s:
        return int(s.scalar(select(func.count()).select_from(Admin)) or 0)


def test_admin_invites_someone(db: TestDatabase, org: tuple[uuid.UUID, dict]) -> None:
    org_id, ids = org
    at = page_as(db, org_id, ids["admin"])
    at.text_input(key="invite_name").input("Nia Newcomer")
    at.text_input(key="invite_email").input("Nia@Acme.test")
    at.text_input(key="invite_zone").input("Africa/Lagos")
    at.button(key="FormSubmitter:invite-Invite").click().run()
    assert not at.exception
    with tenant_session(db.app_engine, org_id) as s:
        nia = s.scalars(select(Admin).where(Admin.email == "nia@acme.test")).one()
    assert (nia.name, nia.timezone) == ("Nia Newcomer", "Africa/Lagos")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("edit_zone", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'."),
        ("edit_before", -5, "Buffers are minutes, 0 or more."),
    ],
)
def test_bad_settings_show_a_message_and_write_nothing(
    db: TestDatabase, org: tuple[uuid.UUID, dict], field: str, value: object, message: str
) -> None:
    org_id, ids = org
    at = page_as(db, org_id, ids["admin"])
    widget = at.text_input(key=field) if field == "edit_zone" else at.number_input(key=field)
    widget.set_value(value)
    at.button(key="FormSubmitter:edit-Save").click().run()
    assert [e.value for e in at.error] == [message]
    # The message sits right under the widget it is about.
    form = at.get("form")[1]
    kinds = [type(el).__name__ for el in form.children.values()]
    assert kinds[kinds.index("Error") - 1] in ("TextInput", "NumberInput")
    assert form.children[list(form.children)[kinds.index("Error") - 1]].key == field
    with tenant_session(db.app_engine, org_id) as s:
        assert (
            s.scalars(select(AuditLog.action).where(AuditLog.action == "admin.updated")).all() == []
        )


@pytest.mark.parametrize(
    ("name", "email", "zone", "messages"),
    [
        (
            "Dup",
            "viewer@acme.test",
            "UTC",
            ["Someone with the email viewer@acme.test exists already."],
        ),
        (
            "",
            "not-an-address",
            "Mars/Olympus",
            [
                "Please enter a name.",
                "Please enter a valid email address.",
                "Unknown time zone 'Mars/Olympus'.",
            ],
        ),
    ],
)
def test_invalid_invite_is_refused(
    db: TestDatabase,
    org: tuple[uuid.UUID, dict],
    name: str,
    email: str,
    zone: str,
    messages: list[str],
) -> None:
    org_id, ids = org
    at = page_as(db, org_id, ids["admin"])
    at.text_input(key="invite_name").input(name)
    at.text_input(key="invite_email").input(email)
    at.text_input(key="invite_zone").input(zone)
    at.button(key="FormSubmitter:invite-Invite").click().run()
    assert [e.value for e in at.error] == messages
    assert at.text_input(key="invite_email").value == email  # what was typed stays
    assert people(db, org_id) == 2


def test_viewer_sees_people_but_no_forms(db: TestDatabase, org: tuple[uuid.UUID, dict]) -> None:
    org_id, ids = org
    at = page_as(db, org_id, ids["viewer"])
    assert not at.exception
    assert sorted(at.dataframe[0].value["email"].to_list()) == [
        "admin@acme.test",
        "viewer@acme.test",
    ]
    assert at.info[0].value == "Only administrators and managers can change people."
