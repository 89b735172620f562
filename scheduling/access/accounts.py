"""Console accounts: argon2id password hashes, sign-in with lockout, account creation."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from scheduling.access.actor import Actor, actor_for, require
from scheduling.access.audit import audit, snapshot
from scheduling.access.roles import RoleError, ensure_builtin_roles
from scheduling.addresses import valid_email
from scheduling.db.tenant import tenant_session
from scheduling.models import Admin, AvailabilityRule, AvailabilitySchedule
from scheduling.zones import valid_timezone

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 10
MISMATCH = "That email and password do not match."
LOCKED = "Too many failed attempts; try again in a few minutes."
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class SignInFailed(PermissionError):
    """Wrong email or password, or a locked account; the message never says which exists."""

    code, status = "sign_in_failed", 401


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    if len(password) < MIN_PASSWORD:
        raise RoleError(f"Passwords need at least {MIN_PASSWORD} characters.")
    return _hasher.hash(password)


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    now: datetime,
    ip: str | None = None,
    user_agent: str | None = None,
) -> Actor | str:
    """The signed-in Actor, or the refusal to show; failures are recorded, not raised, so
    the caller's commit keeps the count. MAX_FAILURES wrong tries lock for LOCKOUT."""
    admin = session.scalars(
        select(Admin).where(func.lower(Admin.email) == email.strip().lower(), Admin.is_active)
    ).first()
    if admin is None or admin.password_hash is None:
        _hasher.hash("timing-equaliser")  # same cost as a real check
        return MISMATCH
    if admin.locked_until and admin.locked_until > now:
        return LOCKED
    try:
        _hasher.verify(admin.password_hash, password)
    except (VerificationError, InvalidHashError):
        _record_failure(session, admin, now, ip, user_agent)
        return MISMATCH
    if _hasher.check_needs_rehash(admin.password_hash):
        admin.password_hash = _hasher.hash(password)
    admin.failed_logins, admin.locked_until, admin.last_login_at = 0, None, now
    actor = actor_for(session, admin.id, ip, user_agent)
    audit(session, actor, "account.signed_in", "admin", admin.id)
    return actor


def sign_in(
    engine: Engine,
    org_id: uuid.UUID,
    email: str,
    password: str,
    *,
    now: datetime,
    ip: str | None = None,
    user_agent: str | None = None,
) -> Actor:
    """Check credentials in their own transaction; raise SignInFailed after it commits."""
    with tenant_session(engine, org_id) as session:
        outcome = authenticate(session, email, password, now=now, ip=ip, user_agent=user_agent)
    if isinstance(outcome, str):
        raise SignInFailed(outcome)
    return outcome


def _record_failure(
    session: Session, admin: Admin, now: datetime, ip: str | None, user_agent: str | None
) -> None:
    admin.failed_logins += 1
    locked = admin.failed_logins >= MAX_FAILURES
    if locked:
        admin.locked_until, admin.failed_logins = now + LOCKOUT, 0
    who = Actor(admin.org_id, admin.email, kind="attendee", ip=ip, user_agent=user_agent)
    audit(session, who, "account.locked" if locked else "account.sign_in_failed", "admin", admin.id)


def create_account(
    session: Session,
    actor: Actor,
    *,
    name: str,
    email: str,
    timezone: str,
    role: str,
    password: str | None = None,
    is_host: bool = True,
) -> Admin:
    """A person with a role (by name), default working hours Mon-Fri 09-17 and a password."""
    require(actor, "team.manage", what="invite people")
    roles = ensure_builtin_roles(session, actor.org_id)
    if role not in roles:
        raise RoleError(f"Unknown role {role!r}; choose one of {', '.join(sorted(roles))}.")
    email = email.strip().lower()
    errors = {}
    if not name.strip():
        errors["name"] = "Please enter a name."
    if not valid_email(email):
        errors["email"] = "Please enter a valid email address."
    elif session.scalar(select(Admin.id).where(func.lower(Admin.email) == email)):
        errors["email"] = f"Someone with the email {email} exists already."
    if not valid_timezone(timezone):
        errors["timezone"] = f"Unknown time zone {timezone!r}."
    if errors:
        raise InvalidPerson(errors)
    slug = email.split("@")[0].replace(".", "-")
    admin = Admin(
        org_id=actor.org_id,
        id=uuid.uuid4(),
        name=name.strip(),
        email=email.strip().lower(),
        slug=slug,
        timezone=timezone,
        is_host=is_host,
        role_id=roles[role].id,
        password_hash=hash_password(password) if password else None,
    )
    session.add(admin)
    session.flush()
    schedule = AvailabilitySchedule(
        org_id=actor.org_id,
        admin_id=admin.id,
        name="Working hours",
        timezone=timezone,
        is_default=True,
    )
    session.add(schedule)
    session.flush()
    session.add_all(
        AvailabilityRule(
            org_id=actor.org_id,
            schedule_id=schedule.id,
            weekday=d,
            start_time=time(9),
            end_time=time(17),
        )
        for d in range(5)
    )
    audit(
        session,
        actor,
        "admin.created",
        "admin",
        admin.id,
        after={"name": admin.name, "email": admin.email, "role": role},
    )
    return admin


def set_password(session: Session, actor: Actor, admin_id: uuid.UUID, password: str) -> None:
    """Set a person's password (themselves, or anyone who manages people)."""
    if actor.admin_id != admin_id:
        require(actor, "team.manage", owners=frozenset({admin_id}), what="change passwords")
    admin = session.scalars(select(Admin).where(Admin.id == admin_id)).one()
    admin.password_hash = hash_password(password)
    admin.failed_logins, admin.locked_until = 0, None
    audit(session, actor, "account.password_changed", "admin", admin.id)


class InvalidPerson(ValueError):
    """Field problems in a person's settings; `errors` maps field to message."""

    code, status = "invalid_person", 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


PERSON_FIELDS = (
    "name",
    "timezone",
    "max_meetings_per_day",
    "max_meetings_per_week",
    "default_buffer_before",
    "default_buffer_after",
    "is_active",
)


def update_person(session: Session, actor: Actor, admin_id: uuid.UUID, **changes: Any) -> Admin:
    """Change a person's name, zone, personal limits, default buffers or active flag."""
    require(actor, "team.manage", owners=frozenset({admin_id}), what="change people")
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidPerson({k: "Not a setting of a person." for k in sorted(unknown)})
    _validate_person(changes)
    admin = session.scalars(select(Admin).where(Admin.id == admin_id)).one()
    before = snapshot(admin, PERSON_FIELDS)
    for field, value in changes.items():
        setattr(admin, field, value.strip() if isinstance(value, str) else value)
    session.flush()
    audit(
        session, actor, "admin.updated", "admin", admin.id, before, snapshot(admin, PERSON_FIELDS)
    )
    return admin


def _validate_person(changes: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if "name" in changes and not str(changes["name"]).strip():
        errors["name"] = "Please enter a name."
    if "timezone" in changes and not valid_timezone(str(changes["timezone"])):
        errors["timezone"] = f"Unknown time zone {changes['timezone']!r}."
    for field in ("max_meetings_per_day", "max_meetings_per_week"):
        value = changes.get(field)
        if value is not None and value < 1:
            errors[field] = "Use a number of at least 1, or leave it empty for no limit."
    for field in ("default_buffer_before", "default_buffer_after"):
        if field in changes and (changes[field] is None or changes[field] < 0):
            errors[field] = "Buffers are minutes, 0 or more."
    if errors:
        raise InvalidPerson(errors)
