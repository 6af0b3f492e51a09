ALTER TABLE dossier_progress DROP COLUMN portal_status;
