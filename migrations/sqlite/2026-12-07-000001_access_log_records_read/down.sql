-- Entries without a recipient (reads of dossiers not linked to one) cannot be kept.
CREATE TABLE recipient_access_log_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id  TEXT NOT NULL,
    accessed_at   TIMESTAMP NOT NULL,
    account_id    TEXT NOT NULL,
    username      TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        TEXT NOT NULL,
    access        TEXT NOT NULL,
    request_id    TEXT
);
INSERT INTO recipient_access_log_rebuilt
SELECT id, recipient_id, accessed_at, account_id, username, role, org_id, access, request_id
FROM recipient_access_log WHERE recipient_id IS NOT NULL;
DROP TABLE recipient_access_log;
ALTER TABLE recipient_access_log_rebuilt RENAME TO recipient_access_log;
CREATE INDEX recipient_access_log_recipient ON recipient_access_log (recipient_id);
CREATE INDEX recipient_access_log_account ON recipient_access_log (account_id);
CREATE INDEX recipient_access_log_accessed ON recipient_access_log (accessed_at);
CREATE TRIGGER recipient_access_log_no_update BEFORE UPDATE ON recipient_access_log
BEGIN SELECT RAISE(ABORT, 'recipient_access_log is append-only'); END;
CREATE TRIGGER recipient_access_log_no_delete BEFORE DELETE ON recipient_access_log
BEGIN SELECT RAISE(ABORT, 'recipient_access_log is append-only'); END;
