-- The organization that received each case's person, kept beside the case (a recipient's
-- receiving organization never changes). The people a unit handles are those it received
-- and those of its cases received elsewhere (a transfer in, for one); the partial index holds
-- only the latter, so the recipient list finds them without reading all the unit's cases.
ALTER TABLE cases ADD COLUMN recipient_organization_id TEXT NOT NULL DEFAULT '';
UPDATE cases SET recipient_organization_id = recipients.organization_id
    FROM recipients WHERE recipients.id = cases.recipient_id;
ALTER TABLE cases ALTER COLUMN recipient_organization_id DROP DEFAULT;
CREATE INDEX cases_foreign_recipients ON cases (organization_id, recipient_id)
    WHERE deleted_at IS NULL AND recipient_organization_id <> organization_id;
