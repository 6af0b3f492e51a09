-- What each read of personal data went through (`record_id`: the dossier, the document, the
-- case a search found; NULL for the person's own record), and reads of a dossier whose
-- applicant is no recipient yet, which have no `recipient_id`. SQLite cannot drop NOT NULL
-- in place: the table is rebuilt, its entries, indexes and append-only triggers with it.
CREATE TABLE recipient_access_log_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id  TEXT,
    accessed_at   TIMESTAMP NOT NULL,
    account_id    TEXT NOT NULL,
    username      TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        TEXT NOT NULL,
    access        TEXT NOT NULL,
    request_id    TEXT,
    record_id     TEXT,
    CHECK (recipient_id IS NOT NULL OR record_id IS NOT NULL)
);
INSERT INTO recipient_access_log_rebuilt
    (id, recipient_id, accessed_at, account_id, username, role, org_id, access, request_id)
SELECT id, recipient_id, accessed_at, account_id, username, role, org_id, access, request_id
FROM recipient_access_log;
DROP TABLE recipient_access_log;
ALTER TABLE recipient_access_log_rebuilt RENAME TO recipient_access_log;
CREATE INDEX recipient_access_log_recipient ON recipient_access_log (recipient_id);
CREATE INDEX recipient_access_log_account ON recipient_access_log (account_id);
CREATE INDEX recipient_access_log_accessed ON recipient_access_log (accessed_at);
CREATE INDEX recipient_access_log_record ON recipient_access_log (record_id);
CREATE TRIGGER recipient_access_log_no_update BEFORE UPDATE ON recipient_access_log
BEGIN SELECT RAISE(ABORT, 'recipient_access_log is append-only'); END;
CREATE TRIGGER recipient_access_log_no_delete BEFORE DELETE ON recipient_access_log
BEGIN SELECT RAISE(ABORT, 'recipient_access_log is append-only'); END;
