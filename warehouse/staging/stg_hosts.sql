-- Hosts and administrators (people who may host meetings).
SELECT org_id, id AS host_id, name, slug, timezone, is_host, is_active
FROM raw_hosts
