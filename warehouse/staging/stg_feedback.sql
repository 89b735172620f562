-- Attendees' ratings (1-5) and likelihood to recommend (0-10) per booking.
SELECT org_id, id AS feedback_id, booking_id, rating, nps_score, created_at
FROM raw_feedback
