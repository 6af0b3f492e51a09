-- A case's step answers the request for legal aid that opened it: its dossier is found by the case.
CREATE INDEX dossiers_case ON dossiers (case_id) WHERE case_id IS NOT NULL;
