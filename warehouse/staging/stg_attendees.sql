-- Attendees and guests; only a digest of the address, which tells returning attendees.
SELECT org_id, id AS attendee_id, booking_id, email_digest, timezone, is_guest, created_at
FROM raw_attendees
