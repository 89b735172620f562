-- Teams of hosts.
SELECT org_id, id AS team_id, name, slug, is_active
FROM raw_teams
