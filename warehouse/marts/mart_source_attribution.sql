-- Sessions and the bookings they led to, by first touch: the UTM source, medium and
-- campaign and the referring host of a session's first step, per landing event and day.
-- `source` is the UTM source, else the referring host, else "(direct)". (Sessions are
-- counted per full referrer first, so the host is read from each distinct referrer once.)
WITH by_referrer AS (
    SELECT org_id, day, event_id, utm_source, utm_medium, utm_campaign, referrer,
           count(*) AS sessions, count(completed_at) AS conversions
    FROM int_sessions
    WHERE NOT is_manage
    GROUP BY ALL
),
hosts AS (
    SELECT *,
           nullif(regexp_extract(lower(referrer), '^[a-z][a-z0-9+.-]*://(www\.)?([^/:?#]+)', 2),
                  '') AS host
    FROM by_referrer
)
SELECT org_id, day, event_id,
       coalesce(utm_source, host, '(direct)') AS source,
       coalesce(utm_medium, '(none)') AS medium,
       coalesce(utm_campaign, '(none)') AS campaign,
       coalesce(host, '(none)') AS referrer_host,
       CAST(sum(sessions) AS BIGINT) AS sessions,
       CAST(sum(conversions) AS BIGINT) AS conversions
FROM hosts
GROUP BY ALL
