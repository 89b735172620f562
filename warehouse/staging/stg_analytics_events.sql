-- Tracked steps of attendees' visits, with the funnel step as a number (1 page view,
-- 2 slot view, 3 form start, 4 booking, 5 reschedule, 6 cancel) and a 64-bit key of the
-- browser session (steps without a session, such as a host's cancel, have none).
SELECT org_id, id, event_id, booking_id, session_id,
       CASE WHEN session_id IS NOT NULL THEN hash(session_id) END AS session_key,
       CAST(CASE event_type
            WHEN 'page_view' THEN 1 WHEN 'slot_view' THEN 2
            WHEN 'booking_started' THEN 3 WHEN 'booking_completed' THEN 4
            WHEN 'reschedule' THEN 5 WHEN 'cancel' THEN 6 END AS UTINYINT) AS step,
       event_type, referrer, utm_source, utm_medium, utm_campaign, created_at
FROM raw_analytics_events
