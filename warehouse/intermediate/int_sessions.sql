-- One row per browser session: the event page it landed on, its first-touch attribution
-- (UTM tags and referrer of its first step), when it first viewed the page, started the
-- form and booked, and whether it was an attendee managing a booking (a reschedule or
-- cancel step) rather than a new visit. `day` is the first step's date in the
-- organisation's zone. Ties in time are broken by step id, so the result is deterministic.
-- This rollup is what the funnel, source and time-to-book marts read instead of the steps.
WITH sessions AS (
    SELECT org_id, session_key,
           arg_min(
               {'event_id': event_id, 'utm_source': utm_source, 'utm_medium': utm_medium,
                'utm_campaign': utm_campaign, 'referrer': referrer},
               (created_at, id)
           ) AS first_step,
           min(created_at) AS first_at,
           bool_or(step = 1) AS viewed,
           bool_or(step = 2) AS slot_viewed,
           min(created_at) FILTER (WHERE step = 1) AS viewed_at,
           min(created_at) FILTER (WHERE step = 3) AS started_at,
           min(created_at) FILTER (WHERE step = 4) AS completed_at,
           arg_min(booking_id, (created_at, id)) FILTER (WHERE step = 4) AS booking_id,
           bool_or(step >= 5) AS is_manage
    FROM stg_analytics_events
    WHERE session_key IS NOT NULL
    GROUP BY org_id, session_key
)
SELECT s.org_id, s.session_key, s.first_step.event_id AS event_id,
       CAST(timezone(o.timezone, s.first_at) AS DATE) AS day,
       s.first_at, s.viewed, s.slot_viewed, s.viewed_at, s.started_at, s.completed_at,
       s.booking_id, s.is_manage,
       s.first_step.utm_source AS utm_source, s.first_step.utm_medium AS utm_medium,
       s.first_step.utm_campaign AS utm_campaign, s.first_step.referrer AS referrer
FROM sessions s
JOIN stg_organizations o ON o.org_id = s.org_id
