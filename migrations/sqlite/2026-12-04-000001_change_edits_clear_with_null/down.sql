-- The nulls dropped meant "keep", as a field left out now does: nothing to restore.
SELECT 1;
