"""Console sessions: a signed, expiring token naming the organisation and the account."""

from __future__ import annotations

import uuid

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "liveschool-console-session"


def issue_console_token(secret: str, org_id: uuid.UUID, admin_id: uuid.UUID) -> str:
    """A token to keep in the browser; it proves who signed in, and when."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps([str(org_id), str(admin_id)])


def read_console_token(
    secret: str, token: str, max_age_seconds: int
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(org id, account id) from a valid, unexpired token; None otherwise."""
    try:
        org, admin = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=max_age_seconds)
        return uuid.UUID(org), uuid.UUID(admin)
    except (BadSignature, ValueError, TypeError):
        return None
