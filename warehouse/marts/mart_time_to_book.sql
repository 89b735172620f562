-- Time to book: one row per session that booked, with the seconds from its first page
-- view to the booking.
SELECT org_id, event_id, day, session_key, booking_id,
       epoch(completed_at - viewed_at) AS seconds_to_book
FROM int_sessions
WHERE NOT is_manage AND viewed_at IS NOT NULL AND completed_at >= viewed_at
