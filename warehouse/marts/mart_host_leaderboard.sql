-- Per host, meeting week and event: live bookings (confirmed or awaiting approval),
-- cancellations, meetings attended and missed, and feedback (count and sum of ratings), so
-- any period and filter can be summed up exactly. A meeting with several hosts counts for
-- each of them.
SELECT b.org_id, b.start_week AS week, h.host_id, b.event_id,
       count(*) FILTER (WHERE b.is_live) AS bookings,
       count(*) FILTER (WHERE b.status = 'cancelled') AS cancellations,
       count(*) FILTER (WHERE b.attendance = 'attended') AS attended,
       count(*) FILTER (WHERE b.is_no_show) AS no_shows,
       count(b.rating) AS ratings,
       coalesce(sum(b.rating), 0) AS rating_sum
FROM int_bookings b
JOIN stg_booking_hosts h ON h.org_id = b.org_id AND h.booking_id = b.booking_id
GROUP BY ALL
