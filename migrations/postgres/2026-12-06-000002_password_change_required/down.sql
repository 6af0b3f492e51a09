ALTER TABLE accounts DROP COLUMN password_change_required;
