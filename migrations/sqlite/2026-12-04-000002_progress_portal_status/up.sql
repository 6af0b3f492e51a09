-- A progress entry keeps the portal's code of its status as it was written: the feed read
-- again, and its callbacks, say the same code after the Agency changes the mapping. Entries
-- written before carry the mapping in force now, the best there is.
ALTER TABLE dossier_progress ADD COLUMN portal_status TEXT NOT NULL DEFAULT '';
UPDATE dossier_progress
SET portal_status = COALESCE(
    (SELECT portal_code FROM portal_status_codes WHERE portal_status_codes.status = dossier_progress.status),
    dossier_progress.status);
