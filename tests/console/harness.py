"""Drive one console page with AppTest as a signed-in person, on the test database."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

from admin_streamlit.auth import ACTOR_KEY
from admin_streamlit.state import DATABASE_KEY
from scheduling.access import BUILTIN_ROLES, Actor, actor_for, create_account, ensure_builtin_roles
from scheduling.db import tenant_session
from tests.conftest import ROOT, TestDatabase
from tests.factories import make_org

ROLES = tuple(BUILTIN_ROLES)  # super_admin, admin, manager, member, viewer


@dataclass
class Staff:
    """An organisation with one person per built-in role ("<role>@acme.test", zone UTC)."""

    db: TestDatabase
    org: uuid.UUID
    people: dict[str, uuid.UUID]

    def actor(self, role: str) -> Actor:
        with tenant_session(self.db.app_engine, self.org) as s:
            return actor_for(s, self.people[role])

    def page(
        self, name: str, role: str, timeout: float = 30, state: Mapping[str, object] = {}
    ) -> AppTest:
        """admin_streamlit/pages/<name>.py, run once as the person holding `role`, with
        extra session `state` (e.g. CONFIG_KEY)."""
        at = AppTest.from_file(
            str(ROOT / "admin_streamlit" / "pages" / f"{name}.py"), default_timeout=timeout
        )
        at.session_state[DATABASE_KEY] = self.db.app_url
        at.session_state[ACTOR_KEY] = self.actor(role)
        for key, value in state.items():
            at.session_state[key] = value
        return at.run()


def make_staff(db: TestDatabase, roles: tuple[str, ...] = ROLES) -> Staff:
    org = make_org(db)
    people = {}
    with tenant_session(db.app_engine, org) as s:
        ensure_builtin_roles(s, org)
        for role in roles:
            people[role] = create_account(
                s,
                Actor.system(org),
                name=f"{role.replace('_', ' ').title()} Person",
                email=f"{role.replace('_', '-')}@acme.test",
                timezone="UTC",
                role=role,
            ).id
    return Staff(db, org, people)
