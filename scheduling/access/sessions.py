"""Console sessions: a row per sign-in, and a signed cookie token that names the row.

The token proves which session a browser holds (signed, so it cannot be forged; dated, so an
old copy stops working); the row decides whether that session still counts. Signing out
revokes the row, so a copied cookie dies with it, and a deactivated person loses every open
console at their next click.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.access.actor import Actor, require
from scheduling.access.audit import audit
from scheduling.models import Admin, ConsoleSession

# v2: tokens name a session row; v1 tokens (naming the account) no longer verify.
SALT = "liveschool-console-session-v2"


def issue_console_token(secret: str, org_id: uuid.UUID, session_id: uuid.UUID) -> str:
    """A token to keep in the browser; it names the organisation and the session."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps([str(org_id), str(session_id)])


def read_console_token(
    secret: str, token: str, max_age_seconds: int
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(org id, session id) from a valid, unexpired token; None otherwise."""
    try:
        org, sid = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=max_age_seconds)
        return uuid.UUID(org), uuid.UUID(sid)
    except (BadSignature, ValueError, TypeError):
        return None


def create_console_session(
    session: Session, actor: Actor, *, now: datetime, lifetime: timedelta
) -> uuid.UUID:
    """Open a console session for the signed-in `actor` (who has just authenticated)."""
    if actor.kind != "staff" or actor.admin_id is None:
        raise ValueError("Only a signed-in person has a console session.")
    row = ConsoleSession(
        org_id=actor.org_id,
        id=uuid.uuid4(),
        admin_id=actor.admin_id,
        created_at=now,
        expires_at=now + lifetime,
        ip_address=(actor.ip or "")[:45] or None,
        user_agent=actor.user_agent,
    )
    session.add(row)
    audit(session, actor, "session.created", "console_session", row.id)
    return row.id


def revoke_console_session(
    session: Session, actor: Actor, session_id: uuid.UUID, *, now: datetime
) -> bool:
    """End a console session: its holder (signing out) or whoever manages its person.

    Returns False when it had ended already."""
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.id == session_id)).first()
    if row is None:
        return False
    if actor.admin_id != row.admin_id:
        require(actor, "team.manage", frozenset({row.admin_id}), what="end other people's sessions")
    if row.revoked_at is not None:
        return False
    row.revoked_at = now
    audit(session, actor, "session.revoked", "console_session", row.id)
    return True


def session_holder(session: Session, session_id: uuid.UUID, now: datetime) -> uuid.UUID | None:
    """The account of a live session: not revoked, not expired, its person still active.

    A lockout does not end live sessions: otherwise anyone could sign a person out by
    mistyping their password five times."""
    return session.scalar(
        select(Admin.id)
        .join(ConsoleSession, ConsoleSession.admin_id == Admin.id)
        .where(
            ConsoleSession.id == session_id,
            ConsoleSession.revoked_at.is_(None),
            ConsoleSession.expires_at > now,
            Admin.is_active.is_(True),
        )
    )
