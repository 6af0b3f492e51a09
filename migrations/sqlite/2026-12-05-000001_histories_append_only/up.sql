-- A case's history and the statistics released are records of what was done: like the audit
-- log, they are only ever added to. A correction is a new entry (a change request's step, a
-- new vintage), never an edit of an old one.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER statistical_releases_no_update BEFORE UPDATE ON statistical_releases
BEGIN SELECT RAISE(ABORT, 'statistical_releases is append-only'); END;
CREATE TRIGGER statistical_releases_no_delete BEFORE DELETE ON statistical_releases
BEGIN SELECT RAISE(ABORT, 'statistical_releases is append-only'); END;
