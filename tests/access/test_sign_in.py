"""Sign-in: argon2id hashes, a clear refusal, lockout after repeated failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduling.access import (
    Actor,
    RoleError,
    SignInFailed,
    create_account,
    ensure_builtin_roles,
)
from scheduling.access import sign_in as access_sign_in
from scheduling.db import tenant_session
from scheduling.models import Admin, AuditLog
from tests.conftest import TestDatabase
from tests.factories import make_org

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def org(db: TestDatabase):  # type: ignore[no-untyped-def]
    org_id = make_org(db)
    with tenant_session(db.app_engine, org_id) as s:
        ensure_builtin_roles(s, org_id)
        create_account(
            s,
            Actor.system(org_id),
            name="Ada Admin",
            email="ada@acme.test",
            timezone="UTC",
            role="admin",
            password=PASSWORD,
        )
    return org_id


def sign_in(db: TestDatabase, org, password: str, at: datetime = NOW) -> Actor:  # type: ignore[no-untyped-def]
    return access_sign_in(db.app_engine, org, "ADA@acme.test ", password, now=at, ip="203.0.113.9")


def test_password_is_stored_as_argon2id_and_signs_in(db: TestDatabase, org) -> None:  # type: ignore[no-untyped-def]
    with tenant_session(db.app_engine, org) as s:
        stored = s.scalar(select(Admin.password_hash))
    assert stored.startswith("$argon2id$")
    actor = sign_in(db, org, PASSWORD)
    assert (actor.label, actor.scope, "billing.manage" in actor.permissions) == (
        "ada@acme.test",
        "org",
        False,
    )
    with tenant_session(db.app_engine, org) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "account.signed_in")).one()
    assert row.ip_address == "203.0.113.9"


def test_wrong_password_and_unknown_email_read_the_same(db: TestDatabase, org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignInFailed) as wrong:
        sign_in(db, org, "not it at all")
    with pytest.raises(SignInFailed) as unknown:
        access_sign_in(db.app_engine, org, "nobody@acme.test", PASSWORD, now=NOW)
    assert str(wrong.value) == str(unknown.value) == "That email and password do not match."


def test_five_failures_lock_the_account_for_fifteen_minutes(db: TestDatabase, org) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        with pytest.raises(SignInFailed, match="do not match"):
            sign_in(db, org, "wrong password!")
    with pytest.raises(SignInFailed, match="Too many failed attempts"):
        sign_in(db, org, PASSWORD)  # even the right password, while locked
    actor = sign_in(db, org, PASSWORD, at=NOW + timedelta(minutes=16))
    assert actor.label == "ada@acme.test"
    with tenant_session(db.app_engine, org) as s:
        actions = s.scalars(select(AuditLog.action).order_by(AuditLog.created_at)).all()
        admin = s.scalars(select(Admin)).one()
    assert actions.count("account.sign_in_failed") == 4
    assert actions.count("account.locked") == 1
    assert (admin.failed_logins, admin.locked_until) == (0, None)


def test_short_passwords_are_refused(db: TestDatabase, org) -> None:  # type: ignore[no-untyped-def]
    with tenant_session(db.app_engine, org) as s, pytest.raises(RoleError, match="at least 10"):
        create_account(
            s,
            Actor.system(org),
            name="Bo",
            email="bo@acme.test",
            timezone="UTC",
            role="viewer",
            password="short",
        )
