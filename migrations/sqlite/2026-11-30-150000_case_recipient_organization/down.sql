DROP INDEX cases_foreign_recipients;
ALTER TABLE cases DROP COLUMN recipient_organization_id;
