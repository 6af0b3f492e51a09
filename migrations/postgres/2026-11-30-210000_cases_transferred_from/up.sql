-- The cases transferred in from a case: read on every change of a case, since whether its
-- source was accepted decides where the person of a transferred case counts (form 3).
CREATE INDEX cases_transferred_from ON cases (transferred_from_case_id)
    WHERE transferred_from_case_id IS NOT NULL;
