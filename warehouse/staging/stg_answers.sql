-- Answers to custom questions; `text` is set when the answer is a piece of text.
SELECT org_id, id AS answer_id, booking_id, question_id, value,
       CASE WHEN json_type(value) = 'VARCHAR' THEN trim(value ->> '$') END AS text,
       created_at
FROM raw_answers
