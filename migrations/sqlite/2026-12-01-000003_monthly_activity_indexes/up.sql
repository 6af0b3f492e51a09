-- The monthly litigation notice and the ranking of provinces read cases by the day they were
-- accepted or closed, and case events and new cases by when they were recorded. The ranking
-- sums a year of accepted cases per organization: its index holds every column it reads, so
-- that the sum never visits the cases' rows.
CREATE INDEX cases_accepted_on ON cases (accepted_on, organization_id, form, state, created_at, defence_accepted, outcome_on, provider_id, deleted_at);
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX case_events_recorded ON case_events (recorded_at);
CREATE INDEX case_events_step_day ON case_events (step, occurred_on, recorded_at, case_id);
