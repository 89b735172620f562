-- Feedback per meeting week (Monday, organisation's zone) and event: responses, the sum
-- and average of ratings (1-5), and NPS = % promoters (9-10) - % detractors (0-6) over the
-- responses that gave a score.
SELECT org_id, start_week AS week, event_id,
       count(*) AS responses,
       sum(rating) AS rating_sum,
       avg(rating) AS avg_rating,
       count(nps_score) AS nps_responses,
       count(*) FILTER (WHERE nps_score >= 9) AS promoters,
       count(*) FILTER (WHERE nps_score <= 6) AS detractors,
       100.0 * (count(*) FILTER (WHERE nps_score >= 9) - count(*) FILTER (WHERE nps_score <= 6))
           / nullif(count(nps_score), 0) AS nps
FROM int_bookings
WHERE rating IS NOT NULL
GROUP BY ALL
