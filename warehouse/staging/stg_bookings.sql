-- Bookings with their length and lead time (hours from booking to meeting).
SELECT org_id, id AS booking_id, event_id, slot_id, status, attendance, starts_at, ends_at,
       rescheduled_from_id, cancelled_at, seats, coalesce(source, 'unknown') AS source,
       referrer, utm_source, utm_medium, utm_campaign, created_at, updated_at,
       epoch(ends_at - starts_at) / 60 AS duration_minutes,
       epoch(starts_at - created_at) / 3600 AS lead_hours,
       status IN ('confirmed', 'pending_approval') AS is_live
FROM raw_bookings
