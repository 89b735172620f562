-- Hosts' named working-hour schedules; the default one is their usual week.
SELECT org_id, id AS schedule_id, admin_id AS host_id, timezone, is_default
FROM raw_schedules
