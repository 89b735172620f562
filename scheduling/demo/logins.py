"""Console sign-ins of the demo: one demo host holds each built-in role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.access import Actor, assign_role, ensure_builtin_roles, set_password
from scheduling.demo.ids import DEMO_ORG_ID
from scheduling.models import Admin

DEMO_PASSWORD = "northwind-demo-2026"  # noqa: S105 (published: it is the demo's)
ROLE_ORDER = ("super_admin", "admin", "manager", "member", "viewer")


def grant_demo_logins(session: Session) -> list[tuple[str, str]]:
    """Give the first five demo hosts (by email) the built-in roles and the demo password;
    the rest become members without a password. Returns (role, email) pairs."""
    system = Actor.system(DEMO_ORG_ID, "demo")
    roles = ensure_builtin_roles(session, DEMO_ORG_ID)
    hosts = session.scalars(select(Admin).order_by(Admin.email)).all()
    logins = []
    for i, host in enumerate(hosts):
        role = ROLE_ORDER[i] if i < len(ROLE_ORDER) else "member"
        assign_role(session, system, host.id, roles[role].id)
        if i < len(ROLE_ORDER):
            set_password(session, system, host.id, DEMO_PASSWORD)
            logins.append((role, host.email))
    return logins


def demo_logins(session: Session) -> list[tuple[str, str]]:
    """(role, email) of the demo's sign-ins, read back from the database."""
    rows = session.execute(
        select(Admin.email, Admin.role_id).where(Admin.password_hash.is_not(None))
    ).all()
    names = {r.id: r.name for r in ensure_builtin_roles(session, DEMO_ORG_ID).values()}
    found = {names[role_id]: email for email, role_id in rows if role_id in names}
    return [(role, found[role]) for role in ROLE_ORDER if role in found]
