-- Weekly opening hours of a schedule, with their length in minutes.
SELECT org_id, id AS rule_id, schedule_id, weekday, start_time, end_time,
       (epoch(end_time) - epoch(start_time)) / 60 AS minutes
FROM raw_availability_rules
