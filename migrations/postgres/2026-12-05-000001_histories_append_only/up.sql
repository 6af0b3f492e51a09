-- A case's history and the statistics released are records of what was done: like the audit
-- log, they are only ever added to. A correction is a new entry (a change request's step, a
-- new vintage), never an edit of an old one.
CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events
FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();
CREATE TRIGGER statistical_releases_no_change BEFORE UPDATE OR DELETE ON statistical_releases
FOR EACH ROW EXECUTE FUNCTION history_append_only();
CREATE TRIGGER statistical_releases_no_truncate BEFORE TRUNCATE ON statistical_releases
FOR EACH STATEMENT EXECUTE FUNCTION history_append_only();
