-- Meetings with a recorded outcome (attended or no-show) and the no-shows among them, by
-- event, meeting date, hour of the start in the event's zone, source and whether the
-- attendee was booking for the first time. Per host: mart_host_leaderboard.
SELECT org_id, event_id, start_date, hour, source, is_first_time,
       count(*) AS outcomes,
       count(*) FILTER (WHERE is_no_show) AS no_shows
FROM int_bookings
WHERE has_outcome
GROUP BY ALL
