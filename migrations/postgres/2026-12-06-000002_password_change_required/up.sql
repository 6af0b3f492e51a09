-- A password set by someone else (an account created or reset by an administrator) is known
-- to them: its holder replaces it before doing anything else.
ALTER TABLE accounts ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;
