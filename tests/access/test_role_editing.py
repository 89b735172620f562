"""Editing custom roles: every field, refusals by field, and no granting what one lacks."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from scheduling.access import (
    Actor,
    NotAllowed,
    RoleError,
    actor_for,
    create_account,
    create_role,
    ensure_builtin_roles,
    update_role,
)
from scheduling.access.permissions import granted
from scheduling.db import tenant_session
from scheduling.models import AuditLog, Role
from tests.conftest import TestDatabase
from tests.factories import make_org


@pytest.fixture
def setup(db: TestDatabase) -> tuple[uuid.UUID, Actor, uuid.UUID]:
    """An organisation, its admin (no billing.manage) and a custom role made by the system
    that holds billing.manage."""
    org = make_org(db)
    with tenant_session(db.app_engine, org) as s:
        ensure_builtin_roles(s, org)
        admin_id = create_account(
            s, Actor.system(org), name="Ann", email="ann@acme.test", timezone="UTC", role="admin"
        ).id
        role = create_role(
            s, Actor.system(org), "Bookkeeper", {"billing.manage", "billing.view"}, "org"
        )
        create_role(s, Actor.system(org), "Coordinator", {"bookings.read"}, "team")
        admin = actor_for(s, admin_id)
    return org, admin, role.id


def role(db: TestDatabase, org: uuid.UUID, role_id: uuid.UUID) -> Role:
    with tenant_session(db.app_engine, org) as s:
        found = s.get(Role, (org, role_id))
        assert found is not None
        return found


def test_admin_edits_every_field_and_the_audit_row_shows_before_and_after(
    db: TestDatabase, setup: tuple[uuid.UUID, Actor, uuid.UUID]
) -> None:
    org, admin, role_id = setup
    with tenant_session(db.app_engine, org) as s:
        update_role(
            s,
            admin,
            role_id,
            name=" Billing desk ",
            description="Pays the invoices",
            scope="own",
            granted={"billing.view", "bookings.read"},
        )
    saved = role(db, org, role_id)
    assert (saved.name, saved.description, saved.scope) == (
        "Billing desk",
        "Pays the invoices",
        "own",
    )
    assert granted(saved.permissions) == {"billing.view", "bookings.read"}
    with tenant_session(db.app_engine, org) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "role.updated")).one()
    assert row.old_values["name"] == "Bookkeeper"
    assert row.new_values["name"] == "Billing desk"
    assert row.old_values["permissions"]["billing"] == {"manage": True, "view": True}
    assert row.new_values["permissions"]["billing"] == {"manage": False, "view": True}
    assert row.actor_label == "ann@acme.test"


def test_nobody_grants_what_they_lack_but_may_take_it_away(
    db: TestDatabase, setup: tuple[uuid.UUID, Actor, uuid.UUID]
) -> None:
    org, admin, role_id = setup
    with tenant_session(db.app_engine, org) as s:
        coordinator = s.scalar(select(Role.id).where(Role.name == "Coordinator"))
        assert coordinator is not None
    for attempt in (
        lambda s: update_role(s, admin, coordinator, granted={"bookings.read", "billing.manage"}),
        lambda s: create_role(s, admin, "Payer", {"billing.manage"}, "org"),
    ):
        with (
            pytest.raises(
                NotAllowed,
                match=r"^You cannot grant permissions you do not have yourself: billing\.manage\.$",
            ),
            tenant_session(db.app_engine, org) as s,
        ):
            attempt(s)
    assert granted(role(db, org, coordinator).permissions) == {"bookings.read"}
    # Keeping billing.manage someone else granted, while renaming, is not granting it.
    with tenant_session(db.app_engine, org) as s:
        update_role(s, admin, role_id, name="Books", granted={"billing.manage", "billing.view"})
        update_role(s, admin, role_id, granted={"billing.view"})
    assert granted(role(db, org, role_id).permissions) == {"billing.view"}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"name": "  ", "scope": "galaxy"},
            {
                "name": "A role needs a name of at most 100 characters.",
                "scope": "Scope must be one of own, team, org.",
            },
        ),
        ({"name": "coordinator"}, {"name": "A role called 'coordinator' exists already."}),
        (
            {"granted": {"rockets.launch"}},
            {"permissions": "Unknown permission(s): rockets.launch."},
        ),
        ({"description": "x" * 501}, {"description": "Keep the description under 500 characters."}),
    ],
    ids=["empty name and bad scope", "duplicate name", "unknown permission", "long description"],
)
def test_bad_fields_are_refused_by_field_and_change_nothing(
    db: TestDatabase,
    setup: tuple[uuid.UUID, Actor, uuid.UUID],
    changes: dict[str, object],
    errors: dict[str, str],
) -> None:
    org, admin, role_id = setup
    with (
        pytest.raises(RoleError) as refused,
        tenant_session(db.app_engine, org) as s,
    ):
        update_role(s, admin, role_id, **changes)  # type: ignore[arg-type]
    assert refused.value.errors == errors
    saved = role(db, org, role_id)
    assert (saved.name, saved.scope) == ("Bookkeeper", "org")
    with tenant_session(db.app_engine, org) as s:
        assert s.scalars(select(AuditLog).where(AuditLog.action == "role.updated")).all() == []


def test_a_role_may_change_the_case_of_its_own_name(
    db: TestDatabase, setup: tuple[uuid.UUID, Actor, uuid.UUID]
) -> None:
    org, admin, role_id = setup
    with tenant_session(db.app_engine, org) as s:
        update_role(s, admin, role_id, name="BOOKKEEPER")
    assert role(db, org, role_id).name == "BOOKKEEPER"
