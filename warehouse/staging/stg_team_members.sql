-- Which host belongs to which team.
SELECT org_id, team_id, admin_id AS host_id, role
FROM raw_team_members
