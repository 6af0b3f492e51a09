DROP INDEX case_events_step_day;
DROP INDEX case_events_recorded;
DROP INDEX cases_created_at;
DROP INDEX cases_accepted_on;
