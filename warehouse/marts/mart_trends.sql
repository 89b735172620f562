-- Trends per week (Monday) and month in the organisation's zone, per event: bookings made
-- (moves of an existing booking excluded), cancellations, meetings attended and missed (by
-- meeting date), visits (sessions) and visits that booked; with the value of the period
-- before (0 when nothing happened) and the change from it (NULL when it was 0).
WITH facts AS (
    SELECT b.org_id, b.event_id, 'bookings' AS metric,
           CAST(timezone(o.timezone, b.created_at) AS DATE) AS day
    FROM int_bookings b JOIN stg_organizations o ON o.org_id = b.org_id
    WHERE b.rescheduled_from_id IS NULL
    UNION ALL
    SELECT b.org_id, b.event_id, 'cancellations',
           CAST(timezone(o.timezone, b.cancelled_at) AS DATE)
    FROM int_bookings b JOIN stg_organizations o ON o.org_id = b.org_id
    WHERE b.status = 'cancelled' AND b.cancelled_at IS NOT NULL
    UNION ALL
    SELECT org_id, event_id, 'attended', start_date FROM int_bookings
    WHERE attendance = 'attended'
    UNION ALL
    SELECT org_id, event_id, 'no_shows', start_date FROM int_bookings WHERE is_no_show
    UNION ALL
    SELECT org_id, event_id, 'sessions', day FROM int_sessions WHERE NOT is_manage
    UNION ALL
    SELECT org_id, event_id, 'conversions', day FROM int_sessions
    WHERE NOT is_manage AND completed_at IS NOT NULL
),
periods AS (
    SELECT org_id, 'week' AS grain, CAST(date_trunc('week', day) AS DATE) AS period_start,
           event_id, metric, count(*) AS value
    FROM facts GROUP BY ALL
    UNION ALL
    SELECT org_id, 'month', CAST(date_trunc('month', day) AS DATE), event_id, metric, count(*)
    FROM facts GROUP BY ALL
)
SELECT p.org_id, p.grain, p.period_start, p.event_id, p.metric, p.value,
       coalesce(prev.value, 0) AS previous_value,
       (p.value - prev.value) / prev.value AS change
FROM periods p
LEFT JOIN periods prev
  ON prev.org_id = p.org_id AND prev.grain = p.grain
 AND prev.event_id IS NOT DISTINCT FROM p.event_id
 AND prev.metric = p.metric
 AND prev.period_start = CAST(CASE p.grain WHEN 'week' THEN p.period_start - INTERVAL 7 DAY
                                          ELSE p.period_start - INTERVAL 1 MONTH END AS DATE)
