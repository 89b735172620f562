"""Roles: the built-ins every organisation has, custom roles, and assigning them."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.access.actor import Actor, NotAllowed, require
from scheduling.access.audit import audit, snapshot
from scheduling.access.permissions import ALL, BUILTIN_ROLES, SCOPES, matrix
from scheduling.access.permissions import granted as granted_by
from scheduling.models import Admin, Role

FIELDS = ("name", "description", "scope", "permissions", "is_system")
ORG_WIDE: frozenset[uuid.UUID] = frozenset()  # owned by no one: needs organisation scope
MAX_NAME = 100
MAX_DESCRIPTION = 500


class RoleError(ValueError):
    """A role change that cannot be made, with a message for the person; `errors` maps the
    field concerned (name, scope, permissions, description; "" for none) to its message."""

    code, status = "invalid_role", 422

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {"": message}

    @classmethod
    def of(cls, errors: dict[str, str]) -> RoleError:
        """One error for several field problems."""
        return cls(" ".join(errors.values()), errors)


def ensure_builtin_roles(session: Session, org_id: uuid.UUID) -> dict[str, Role]:
    """Create the five built-in roles of an organisation if missing; return all by name."""
    existing = {r.name: r for r in session.scalars(select(Role))}
    for name, (description, scope, perms) in BUILTIN_ROLES.items():
        if name not in existing:
            role = Role(
                org_id=org_id,
                name=name,
                description=description,
                scope=scope,
                permissions=matrix(perms),
                is_system=True,
            )
            session.add(role)
            existing[name] = role
    session.flush()
    return existing


def _role(session: Session, role_id: uuid.UUID) -> Role:
    role = session.scalars(select(Role).where(Role.id == role_id)).first()
    if role is None:
        raise RoleError("That role does not exist.")
    return role


def create_role(
    session: Session,
    actor: Actor,
    name: str,
    granted: set[str],
    scope: str,
    description: str = "",
) -> Role:
    """A custom role; nobody can grant permissions they lack themselves."""
    require(actor, "team.manage", ORG_WIDE, what="manage roles")
    _validate(session, name=name, scope=scope, granted=granted, description=description)
    _refuse_escalation(actor, granted)
    role = Role(
        org_id=actor.org_id,
        name=name.strip(),
        description=description.strip() or None,
        scope=scope,
        permissions=matrix(granted),
    )
    session.add(role)
    session.flush()
    audit(session, actor, "role.created", "role", role.id, after=snapshot(role, FIELDS))
    return role


def update_role(
    session: Session,
    actor: Actor,
    role_id: uuid.UUID,
    *,
    name: str | None = None,
    granted: set[str] | None = None,
    scope: str | None = None,
    description: str | None = None,
) -> Role:
    """Change a custom role's name, description, permissions or scope (built-ins are fixed).
    Permissions the editor lacks can be taken away but not added."""
    require(actor, "team.manage", ORG_WIDE, what="manage roles")
    role = _role(session, role_id)
    if role.is_system:
        raise RoleError("Built-in roles cannot be changed; copy one into a custom role.")
    renamed = name is not None and name.strip() != role.name
    _validate(
        session,
        name=name if renamed else None,
        scope=scope,
        granted=granted,
        description=description,
        role_id=role.id,
    )
    if granted is not None:
        _refuse_escalation(actor, granted - granted_by(role.permissions))
    before = snapshot(role, FIELDS)
    if renamed and name is not None:
        role.name = name.strip()
    if scope is not None:
        role.scope = scope
    if granted is not None:
        role.permissions = matrix(granted)
    if description is not None:
        role.description = description.strip() or None
    session.flush()
    audit(session, actor, "role.updated", "role", role.id, before, snapshot(role, FIELDS))
    return role


def delete_role(session: Session, actor: Actor, role_id: uuid.UUID) -> None:
    """Delete a custom role nobody holds."""
    require(actor, "team.manage", ORG_WIDE, what="manage roles")
    role = _role(session, role_id)
    if role.is_system:
        raise RoleError("Built-in roles cannot be deleted.")
    holders = session.scalar(
        select(func.count()).select_from(Admin).where(Admin.role_id == role.id)
    )
    if holders:
        raise RoleError(f"{holders} person(s) still hold this role; assign them another first.")
    audit(session, actor, "role.deleted", "role", role.id, before=snapshot(role, FIELDS))
    session.delete(role)
    session.flush()


def assign_role(session: Session, actor: Actor, admin_id: uuid.UUID, role_id: uuid.UUID) -> Admin:
    """Give a person a role. Only someone with every permission of it may hand it out."""
    require(actor, "team.manage", owners=frozenset({admin_id}), what="change people's roles")
    role = _role(session, role_id)
    if actor.kind != "system" and not granted_by(role.permissions) <= actor.permissions:
        raise NotAllowed("You cannot give a role with permissions you do not have yourself.")
    admin = session.scalars(select(Admin).where(Admin.id == admin_id)).one()
    before = {"role_id": str(admin.role_id) if admin.role_id else None}
    admin.role_id = role.id
    session.flush()
    audit(
        session,
        actor,
        "role.assigned",
        "admin",
        admin.id,
        before,
        {"role_id": str(role.id), "role": role.name},
    )
    return admin


def _refuse_escalation(actor: Actor, granted: set[str]) -> None:
    lacking = granted - actor.permissions
    if actor.kind != "system" and lacking:
        raise NotAllowed(
            f"You cannot grant permissions you do not have yourself: {', '.join(sorted(lacking))}."
        )


def _validate(
    session: Session,
    *,
    name: str | None,
    scope: str | None,
    granted: set[str] | None,
    description: str | None,
    role_id: uuid.UUID | None = None,
) -> None:
    """Every problem at once, by field, before anything is written."""
    problems: dict[str, str] = {}
    if name is not None:
        clean = name.strip()
        if not clean or len(clean) > MAX_NAME:
            problems["name"] = f"A role needs a name of at most {MAX_NAME} characters."
        elif session.scalar(
            select(Role.id).where(func.lower(Role.name) == clean.lower(), Role.id != role_id)
        ):
            problems["name"] = f"A role called {clean!r} exists already."
    if scope is not None and scope not in SCOPES:
        problems["scope"] = f"Scope must be one of {', '.join(SCOPES)}."
    if granted is not None and granted - ALL:
        problems["permissions"] = f"Unknown permission(s): {', '.join(sorted(granted - ALL))}."
    if description is not None and len(description.strip()) > MAX_DESCRIPTION:
        problems["description"] = f"Keep the description under {MAX_DESCRIPTION} characters."
    if problems:
        raise RoleError.of(problems)
