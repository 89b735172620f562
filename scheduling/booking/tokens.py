"""Self-service tokens: unguessable, derived from SECRET_KEY, stored only as a hash.

The token for a booking is an HMAC of its id, so a message job can put it in a link without
the token ever being written to the database; revoking sets `manage_token_revoked_at`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid


def manage_token(secret: str, booking_id: uuid.UUID) -> str:
    """The attendee's token for `booking_id`."""
    digest = hmac.new(secret.encode(), f"booking-manage:{booking_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """What the database keeps: SHA-256 of the token (tokens carry 256 bits, no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str | None) -> bool:
    """Constant-time comparison of a presented token with the stored hash."""
    return bool(stored_hash) and hmac.compare_digest(token_hash(token), stored_hash or "")
