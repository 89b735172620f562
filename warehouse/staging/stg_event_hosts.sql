-- The hosts of each event type.
SELECT org_id, event_id, admin_id AS host_id, is_primary
FROM raw_event_hosts
