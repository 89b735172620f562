-- Bookable event types with the zone their popular times are read in.
SELECT org_id, id AS event_id, slug, title, meeting_type, duration_minutes, capacity,
       display_timezone AS timezone, is_active
FROM raw_events
