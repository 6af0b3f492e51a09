DROP TABLE attachments;
DROP TABLE review_requests;
DROP TABLE change_request_items;
DROP TABLE change_requests;
DROP TABLE case_events;
DROP TABLE case_sequences;
DROP TABLE cases;
