-- Utilisation per host and week (Monday, organisation's zone): minutes of live meetings
-- (a group session counts once per host) divided by the minutes the host's default weekly
-- availability rules open. Every week from the organisation's first to its last live
-- meeting is listed for every host with a default schedule, so idle weeks show as 0.
WITH available AS (
    SELECT s.org_id, s.host_id, sum(r.minutes) AS available_minutes
    FROM stg_schedules s
    JOIN stg_availability_rules r ON r.org_id = s.org_id AND r.schedule_id = s.schedule_id
    WHERE s.is_default
    GROUP BY s.org_id, s.host_id
),
meetings AS (
    SELECT DISTINCT b.org_id, h.host_id, coalesce(b.slot_id, b.booking_id) AS meeting_id,
           b.start_week, b.duration_minutes
    FROM int_bookings b
    JOIN stg_booking_hosts h ON h.org_id = b.org_id AND h.booking_id = b.booking_id
    WHERE b.is_live
),
booked AS (
    SELECT org_id, host_id, start_week AS week, sum(duration_minutes) AS booked_minutes
    FROM meetings
    GROUP BY ALL
),
weeks AS (
    SELECT org_id, CAST(unnest(generate_series(
               CAST(min(start_week) AS TIMESTAMP), CAST(max(start_week) AS TIMESTAMP),
               INTERVAL 7 DAY)) AS DATE) AS week
    FROM meetings
    GROUP BY org_id
)
SELECT w.org_id, a.host_id, w.week,
       coalesce(b.booked_minutes, 0) AS booked_minutes,
       a.available_minutes,
       coalesce(b.booked_minutes, 0) / nullif(a.available_minutes, 0) AS utilisation
FROM weeks w
JOIN available a ON a.org_id = w.org_id
LEFT JOIN booked b ON b.org_id = w.org_id AND b.host_id = a.host_id AND b.week = w.week
