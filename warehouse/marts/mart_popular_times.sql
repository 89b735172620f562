-- When meetings are booked for: bookings per weekday (0 = Monday) and hour of their start
-- in the event's zone, per event and meeting date. Bookings that were moved count once,
-- at their new time.
SELECT org_id, event_id, start_date, weekday, hour, count(*) AS bookings
FROM int_bookings
WHERE status <> 'rescheduled'
GROUP BY ALL
