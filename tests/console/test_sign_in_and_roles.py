"""Console sign-in, pages filtered by role, the Roles and Audit pages (AppTest)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY, SESSION_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.access import Actor, create_account, ensure_builtin_roles
from scheduling.db import tenant_session
from scheduling.models import AuditLog, ConsoleSession, Role
from tests.conftest import ROOT, TestDatabase
from tests.factories import make_org

HOME = str(ROOT / "admin_streamlit" / "Home.py")
PASSWORD = "console password 1"


@pytest.fixture
def org(db: TestDatabase) -> uuid.UUID:
    org_id = make_org(db, "Acme School")
    with tenant_session(db.app_engine, org_id) as s:
        ensure_builtin_roles(s, org_id)
        for role in ("admin", "viewer"):
            create_account(
                s,
                Actor.system(org_id),
                name=f"{role.title()} Person",
                email=f"{role}@acme.test",
                timezone="UTC",
                role=role,
                password=PASSWORD,
            )
    return org_id


def home(db: TestDatabase) -> AppTest:
    at = AppTest.from_file(HOME, default_timeout=30)
    at.session_state[DATABASE_KEY] = db.app_url
    return at.run()


def signed_in(db: TestDatabase, org: uuid.UUID, email: str) -> AppTest:
    at = home(db)
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click()
    return at.run()


def test_signed_out_people_see_only_the_sign_in_form(db: TestDatabase, org: uuid.UUID) -> None:
    at = home(db)
    assert not at.exception
    assert at.title[0].value == "Sign in to LiveSchool"
    assert ACTOR_KEY not in at.session_state


def test_wrong_password_is_refused_with_a_message(db: TestDatabase, org: uuid.UUID) -> None:
    at = home(db)
    at.text_input(key="sign_in_email").input("admin@acme.test")
    at.text_input(key="sign_in_password").input("not the password")
    at.button[0].click()
    at.run()
    assert at.error[0].value == "That email and password do not match."
    assert ACTOR_KEY not in at.session_state


def test_admin_signs_in_and_creates_a_custom_role(db: TestDatabase, org: uuid.UUID) -> None:
    at = signed_in(db, org, "admin@acme.test")
    assert not at.exception
    assert at.session_state[ACTOR_KEY].label == "admin@acme.test"
    at.switch_page("pages/roles.py").run()
    assert at.title[0].value == "Roles"
    at.text_input(key="new_role_name").input("Coordinator")
    at.checkbox(key="new_role_bookings_read").check()
    at.checkbox(key="new_role_bookings_update").check()
    at.button(key="FormSubmitter:new_role-Create role").click().run()
    assert not at.exception
    with tenant_session(db.app_engine, org) as s:
        role = s.scalars(select(Role).where(Role.name == "Coordinator")).one()
        actions = s.scalars(select(AuditLog.action)).all()
    assert role.permissions["bookings"] == {
        "read": True,
        "update": True,
        "delete": False,
        "export": False,
    }
    assert "role.created" in actions
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    assert at.dataframe[0].value["action"].to_list()[:3] == [
        "role.created",
        "session.created",
        "account.signed_in",
    ]


def test_signing_in_opens_a_console_session(db: TestDatabase, org: uuid.UUID) -> None:
    at = signed_in(db, org, "admin@acme.test")
    with tenant_session(db.app_engine, org) as s:
        live = s.scalars(select(ConsoleSession)).one()
    assert (live.revoked_at, at.session_state[SESSION_KEY]) == (None, (org, live.id))
    assert live.expires_at - live.created_at == timedelta(hours=12)


def test_viewers_see_roles_but_cannot_change_them_or_read_the_audit_log(
    db: TestDatabase, org: uuid.UUID
) -> None:
    at = signed_in(db, org, "viewer@acme.test")
    at.switch_page("pages/roles.py").run()
    assert not at.exception
    assert at.info[0].value == "Only administrators can create, change or delete roles."
    assert [b.label for b in at.button if b.label == "Create role"] == []
    at.switch_page("pages/audit.py").run()
    assert at.error[0].value == "You are not allowed to read the audit log."
