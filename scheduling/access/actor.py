"""Who is acting: a signed-in person with a role and scope, an attendee, or the system."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.access.permissions import ALL, granted
from scheduling.models import Admin, Role, TeamMember


class NotAllowed(PermissionError):
    """The actor may not do this; the message says what, for the person to read."""

    code, status = "not_allowed", 403


@dataclass(frozen=True, slots=True)
class Actor:
    """The subject of a service call, with where the request came from."""

    org_id: uuid.UUID
    label: str
    kind: str = "staff"  # staff, attendee or system
    admin_id: uuid.UUID | None = None
    permissions: frozenset[str] = frozenset()
    scope: str = "own"
    teammates: frozenset[uuid.UUID] = frozenset()
    booking_id: uuid.UUID | None = None  # an attendee acts on this booking only
    ip: str | None = None
    user_agent: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def system(cls, org_id: uuid.UUID, label: str = "system") -> Actor:
        """The platform itself (jobs, CLI): every permission, organisation-wide."""
        return cls(org_id, label, kind="system", permissions=ALL, scope="org")

    @classmethod
    def attendee(
        cls,
        org_id: uuid.UUID,
        email: str,
        booking_id: uuid.UUID | None = None,
        ip: str | None = None,
        user_agent: str | None = None,
    ) -> Actor:
        """An attendee, allowed to change only the booking their token opened."""
        return cls(
            org_id, email, kind="attendee", booking_id=booking_id, ip=ip, user_agent=user_agent
        )


def actor_for(
    session: Session, admin_id: uuid.UUID, ip: str | None = None, user_agent: str | None = None
) -> Actor:
    """The signed-in person `admin_id` with their role's permissions and their teammates."""
    admin = session.scalars(select(Admin).where(Admin.id == admin_id)).one()
    role = session.scalars(select(Role).where(Role.id == admin.role_id)).first()
    teams = select(TeamMember.team_id).where(TeamMember.admin_id == admin_id)
    mates = session.scalars(select(TeamMember.admin_id).where(TeamMember.team_id.in_(teams)))
    return Actor(
        org_id=admin.org_id,
        label=admin.email,
        admin_id=admin.id,
        permissions=granted(role.permissions) if role else frozenset(),
        scope=role.scope if role else "own",
        teammates=frozenset(mates),
        ip=ip,
        user_agent=user_agent,
    )


def can(actor: Actor, permission: str, owners: frozenset[uuid.UUID] | None = None) -> bool:
    """Whether `actor` holds `permission` over something owned by `owners` (None: no owner)."""
    if actor.kind == "system":
        return True
    if actor.kind == "attendee" or permission not in actor.permissions:
        return False
    if owners is None or actor.scope == "org":
        return True
    reach = {actor.admin_id} | (actor.teammates if actor.scope == "team" else set())
    return bool(owners & reach)


def require(
    actor: Actor,
    permission: str,
    owners: frozenset[uuid.UUID] | None = None,
    what: str | None = None,
) -> None:
    """Raise NotAllowed unless `can(actor, permission, owners)`."""
    if not can(actor, permission, owners):
        resource, action = permission.split(".")
        raise NotAllowed(f"You are not allowed to {what or f'{action} {resource}'}.")
