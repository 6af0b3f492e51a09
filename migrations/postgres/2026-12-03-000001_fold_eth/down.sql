-- Folded text cannot be unfolded; nothing to undo.
SELECT 1;
