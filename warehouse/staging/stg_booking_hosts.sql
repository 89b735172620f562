-- The hosts taking part in each booking.
SELECT org_id, booking_id, admin_id AS host_id
FROM raw_booking_hosts
