DROP INDEX cases_closed_on;
ALTER TABLE cases DROP COLUMN closed_recorded_at;
