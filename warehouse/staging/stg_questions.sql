-- Custom questions of each event's booking form.
SELECT org_id, id AS question_id, event_id, label, question_type, position
FROM raw_questions
