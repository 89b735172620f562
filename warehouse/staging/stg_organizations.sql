-- Organisations with the zone their days and weeks are counted in.
SELECT org_id, name, coalesce(timezone, 'UTC') AS timezone
FROM raw_organizations
