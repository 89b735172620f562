-- Tags on bookings, by name.
SELECT bt.org_id, bt.booking_id, bt.tag_id, t.name AS tag
FROM raw_booking_tags bt
JOIN stg_tags t ON t.org_id = bt.org_id AND t.tag_id = bt.tag_id
