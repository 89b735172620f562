"""Derived booking state for rows written in bulk (demo data, imports), not by the service.

The booking service maintains these as it goes; bulk loads complete their rows before the
insert and claim host time in the same transaction, so their bookings block time exactly
like service-made ones.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from scheduling.booking.tokens import manage_token, token_hash

OCCUPY_SQL = (
    """
    INSERT INTO oh_host_occupancy (org_id, admin_id, booking_id, during)
    SELECT b.org_id, h.admin_id, b.id,
           tstzrange(b.starts_at - make_interval(mins => b.buffer_before),
                     b.ends_at + make_interval(mins => b.buffer_after))
    FROM oh_bookings b
    JOIN oh_booking_hosts h ON h.org_id = b.org_id AND h.booking_id = b.id
    WHERE b.slot_id IS NULL AND b.status IN ('confirmed', 'pending_approval')
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO oh_host_occupancy (org_id, admin_id, slot_id, during)
    SELECT s.org_id, s.host_id, s.id,
           tstzrange(s.starts_at - make_interval(mins => max(b.buffer_before)),
                     s.ends_at + make_interval(mins => max(b.buffer_after)))
    FROM oh_slots s JOIN oh_bookings b ON b.org_id = s.org_id AND b.slot_id = s.id
    WHERE s.host_id IS NOT NULL AND b.status IN ('confirmed', 'pending_approval')
    GROUP BY s.org_id, s.host_id, s.id, s.starts_at, s.ends_at
    ON CONFLICT DO NOTHING
    """,
)


def complete_booking_rows(
    bookings: list[dict[str, Any]], attendees: list[dict[str, Any]], secret: str
) -> None:
    """Fill calendar UID, seats and self-service token hash on booking rows before insert."""
    guests = Counter(a["booking_id"] for a in attendees if a.get("is_guest"))
    for row in bookings:
        row.setdefault("ical_uid", f"{row['id']}@liveschool")
        row["seats"] = 1 + guests[row["id"]]
        row.setdefault("manage_token_hash", None)
        if row["manage_token_hash"] is None:
            row["manage_token_hash"] = token_hash(manage_token(secret, row["id"]))


def occupy_loaded_bookings(session: Session) -> None:
    """Claim host time for live bookings loaded in bulk; an overlap fails the load."""
    for statement in OCCUPY_SQL:
        session.execute(text(statement))
