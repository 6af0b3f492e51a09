-- What each read of personal data went through (`record_id`: the dossier, the document, the
-- case a search found; NULL for the person's own record), and reads of a dossier whose
-- applicant is no recipient yet, which have no `recipient_id`.
ALTER TABLE recipient_access_log ALTER COLUMN recipient_id DROP NOT NULL;
ALTER TABLE recipient_access_log ADD COLUMN record_id TEXT;
ALTER TABLE recipient_access_log ADD CONSTRAINT recipient_access_log_names_something
    CHECK (recipient_id IS NOT NULL OR record_id IS NOT NULL);
CREATE INDEX recipient_access_log_record ON recipient_access_log (record_id);
