-- A change request's edit now tells a field left out (kept) from a field sent as null
-- (cleared, for the proceedings, the outcome and the optional names of a case). Edits stored
-- before wrote every field left out as null: their nulls are dropped, so that they keep
-- meaning "keep".
UPDATE change_request_items
SET proposed_changes = jsonb_strip_nulls(proposed_changes::jsonb)::text
WHERE proposed_changes IS NOT NULL;
