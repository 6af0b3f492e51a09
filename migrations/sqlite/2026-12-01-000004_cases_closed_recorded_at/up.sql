-- When the day a case was closed was recorded: the ranking of provinces measures how long
-- after a closing it is recorded, summed per organization over a year's closings from one
-- index that holds every column it reads. Existing cases take it from their closing step.
ALTER TABLE cases ADD COLUMN closed_recorded_at TIMESTAMP;
UPDATE cases SET closed_recorded_at = (
    SELECT MAX(e.recorded_at) FROM case_events e
    WHERE e.case_id = cases.id
      AND e.step IN ('complete', 'discontinue', 'withdraw', 'transfer_out', 'refuse')
) WHERE closed_on IS NOT NULL;
CREATE INDEX cases_closed_on ON cases (closed_on, organization_id, closed_recorded_at, accepted_on, form, deleted_at);
