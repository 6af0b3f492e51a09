-- A change request's edit now tells a field left out (kept) from a field sent as null
-- (cleared, for the proceedings, the outcome and the optional names of a case). Edits stored
-- before wrote every field left out as null: their nulls are dropped, so that they keep
-- meaning "keep" (json_patch on an empty object applies RFC 7396, which drops nulls at
-- every depth).
UPDATE change_request_items
SET proposed_changes = json_patch('{}', proposed_changes)
WHERE proposed_changes IS NOT NULL;
