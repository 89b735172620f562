-- Labels hosts put on bookings.
SELECT org_id, id AS tag_id, name
FROM raw_tags
