-- One row per booking with everything the booking marts slice by: the meeting's date and
-- week (Monday) in the organisation's zone, weekday (0 = Monday) and hour in the event's
-- zone, lead time, source, the attendee (digest of the non-guest attendee's address),
-- whether this was the attendee's first booking (a moved booking keeps the flag of the
-- booking it replaced), the outcome and the feedback given.
WITH RECURSIVE chain (org_id, booking_id, root_id) AS (
    SELECT org_id, booking_id, booking_id FROM stg_bookings WHERE rescheduled_from_id IS NULL
    UNION ALL
    SELECT b.org_id, b.booking_id, c.root_id
    FROM stg_bookings b
    JOIN chain c ON c.org_id = b.org_id AND c.booking_id = b.rescheduled_from_id
),
attendee AS (
    SELECT org_id, booking_id, min(email_digest) AS attendee_digest
    FROM stg_attendees
    WHERE NOT is_guest
    GROUP BY org_id, booking_id
),
originals AS (
    SELECT b.org_id, b.booking_id,
           row_number() OVER (
               PARTITION BY b.org_id, a.attendee_digest ORDER BY b.created_at, b.booking_id
           ) = 1 AS is_first_time
    FROM stg_bookings b
    JOIN attendee a ON a.org_id = b.org_id AND a.booking_id = b.booking_id
    WHERE b.rescheduled_from_id IS NULL
)
SELECT b.org_id, b.booking_id, b.event_id, b.slot_id, b.status, b.attendance, b.is_live,
       b.starts_at, b.ends_at, b.created_at, b.cancelled_at, b.rescheduled_from_id,
       b.duration_minutes, b.lead_hours, b.source, b.utm_source, b.utm_medium,
       b.utm_campaign,
       CAST(timezone(o.timezone, b.starts_at) AS DATE) AS start_date,
       CAST(date_trunc('week', timezone(o.timezone, b.starts_at)) AS DATE) AS start_week,
       CAST(isodow(timezone(e.timezone, b.starts_at)) - 1 AS INTEGER) AS weekday,
       CAST(hour(timezone(e.timezone, b.starts_at)) AS INTEGER) AS hour,
       a.attendee_digest,
       coalesce(f.is_first_time, true) AS is_first_time,
       b.attendance IN ('attended', 'no_show') AS has_outcome,
       b.attendance = 'no_show' AS is_no_show,
       fb.rating, fb.nps_score
FROM stg_bookings b
JOIN stg_organizations o ON o.org_id = b.org_id
JOIN stg_events e ON e.org_id = b.org_id AND e.event_id = b.event_id
LEFT JOIN attendee a ON a.org_id = b.org_id AND a.booking_id = b.booking_id
LEFT JOIN chain c ON c.org_id = b.org_id AND c.booking_id = b.booking_id
LEFT JOIN originals f ON f.org_id = b.org_id AND f.booking_id = coalesce(c.root_id, b.booking_id)
LEFT JOIN stg_feedback fb ON fb.org_id = b.org_id AND fb.booking_id = b.booking_id
