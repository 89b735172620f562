-- The booking funnel per event and day, counted in browser sessions (a session belongs to
-- the event page it landed on and the day of its first step, in the organisation's zone):
-- sessions that viewed the page, looked at slots, started the form and booked. `abandoned`
-- counts sessions that started the form and did not book within $abandon_minutes of
-- starting it, once that much time has passed by $as_of. Sessions that managed an existing
-- booking are left out.
SELECT org_id, event_id, day,
       count(*) FILTER (WHERE viewed) AS page_views,
       count(*) FILTER (WHERE slot_viewed) AS slot_views,
       count(started_at) AS form_starts,
       count(completed_at) AS bookings,
       count(*) FILTER (
           WHERE started_at IS NOT NULL
             AND started_at + to_minutes(CAST($abandon_minutes AS BIGINT)) <= $as_of
             AND (completed_at IS NULL
                  OR completed_at > started_at + to_minutes(CAST($abandon_minutes AS BIGINT)))
       ) AS abandoned
FROM int_sessions
WHERE NOT is_manage
GROUP BY org_id, event_id, day
