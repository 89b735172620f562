-- Attendees' free-text answers (to long-text questions) that topic clustering reads: the
-- text, the event and when it was asked.
SELECT a.org_id, a.answer_id, q.event_id, a.booking_id, a.text, a.created_at AS asked_at
FROM stg_answers a
JOIN stg_questions q ON q.org_id = a.org_id AND q.question_id = a.question_id
WHERE q.question_type = 'textarea' AND a.text IS NOT NULL AND a.text <> ''
