-- Entries without a recipient (reads of dossiers not linked to one) cannot be kept; the
-- append-only triggers are set aside to remove them.
DROP INDEX recipient_access_log_record;
ALTER TABLE recipient_access_log DROP CONSTRAINT recipient_access_log_names_something;
ALTER TABLE recipient_access_log DISABLE TRIGGER recipient_access_log_no_change;
DELETE FROM recipient_access_log WHERE recipient_id IS NULL;
ALTER TABLE recipient_access_log ENABLE TRIGGER recipient_access_log_no_change;
ALTER TABLE recipient_access_log DROP COLUMN record_id;
ALTER TABLE recipient_access_log ALTER COLUMN recipient_id SET NOT NULL;
