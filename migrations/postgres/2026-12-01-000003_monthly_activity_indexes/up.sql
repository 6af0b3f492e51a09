-- The monthly litigation notice reads cases by the day they were accepted or closed, and case
-- events and new cases by when they were recorded.
CREATE INDEX cases_accepted_on ON cases (accepted_on);
CREATE INDEX cases_closed_on ON cases (closed_on);
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX case_events_recorded ON case_events (recorded_at);
CREATE INDEX case_events_step_day ON case_events (step, occurred_on);
