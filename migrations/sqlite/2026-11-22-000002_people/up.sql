-- SQLite dialect. Keep in step with migrations/postgres/2026-11-22-000002_people.
-- Staff of organizations and legal aid providers. Personal attributes the statistics need
-- (gender, date of birth, ethnicity, qualification) are optional: units enter what they know.
CREATE TABLE staff (
    id                  TEXT PRIMARY KEY NOT NULL,
    full_name           TEXT NOT NULL,
    search_text         TEXT NOT NULL,
    gender              TEXT,
    date_of_birth       DATE,
    ethnicity           TEXT,
    qualification       TEXT,
    provider_kind       TEXT,
    lawyer_card_number  TEXT,
    phone               TEXT,
    email               TEXT,
    status              TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    version             BIGINT NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX staff_search ON staff (search_text);

-- Dated membership of a person in an organization: valid_from inclusive, valid_to exclusive.
CREATE TABLE staff_memberships (
    id               TEXT PRIMARY KEY NOT NULL,
    staff_id         TEXT NOT NULL REFERENCES staff (id),
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    relation         TEXT NOT NULL,
    title            TEXT NOT NULL,
    officer_rank     TEXT,
    valid_from       DATE NOT NULL,
    valid_to         DATE,
    end_reason       TEXT,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX staff_memberships_staff ON staff_memberships (staff_id);
CREATE INDEX staff_memberships_organization ON staff_memberships (organization_id);

-- Collaborators' cards, issued by the Director of the Department; a reissued card points
-- to the one it replaces.
CREATE TABLE collaborator_cards (
    id                TEXT PRIMARY KEY NOT NULL,
    staff_id          TEXT NOT NULL REFERENCES staff (id),
    card_number       TEXT NOT NULL UNIQUE,
    issued_by         TEXT NOT NULL REFERENCES organizations (id),
    issued_on         DATE NOT NULL,
    expires_on        DATE NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('valid', 'revoked', 'replaced')),
    ended_on          DATE,
    end_reason        TEXT,
    replaces_card_id  TEXT REFERENCES collaborator_cards (id),
    version           BIGINT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK (expires_on >= issued_on)
);
CREATE INDEX collaborator_cards_staff ON collaborator_cards (staff_id);

ALTER TABLE accounts ADD COLUMN staff_id TEXT REFERENCES staff (id);

-- The life cycle of a participating organization's registration or contract standing.
ALTER TABLE organizations ADD COLUMN participation_status TEXT;
ALTER TABLE organizations ADD COLUMN participation_amended_on DATE;
ALTER TABLE organizations ADD COLUMN participation_ended_on DATE;
ALTER TABLE organizations ADD COLUMN participation_end_reason TEXT;
UPDATE organizations SET participation_status = 'active' WHERE participation_mode IS NOT NULL;

-- Contracts of participating organizations with state legal aid centres.
CREATE TABLE participation_contracts (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    center_id        TEXT NOT NULL REFERENCES organizations (id),
    contract_number  TEXT NOT NULL,
    signed_on        DATE NOT NULL,
    scope            TEXT NOT NULL,
    valid_from       DATE NOT NULL,
    valid_to         DATE,
    status           TEXT NOT NULL CHECK (status IN ('active', 'terminated')),
    amended_on       DATE,
    ended_on         DATE,
    end_reason       TEXT,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX participation_contracts_organization ON participation_contracts (organization_id);
CREATE INDEX participation_contracts_center ON participation_contracts (center_id);

-- People aided. `organization_id` is the organization that received them; cases will add
-- the organizations that handle them.
CREATE TABLE recipients (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    full_name        TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    gender           TEXT,
    date_of_birth    DATE,
    ethnicity        TEXT,
    citizen_id       TEXT,
    province_code    TEXT REFERENCES provinces (code),
    commune          TEXT,
    address          TEXT,
    phone            TEXT,
        email            TEXT,
    -- Derived from the proofs (the category whose proof came first), kept for filtering;
    -- recomputed whenever a proof is added.
    statistical_category  TEXT,
    category_proven_on    DATE,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX recipients_organization ON recipients (organization_id);
CREATE INDEX recipients_citizen_id ON recipients (citizen_id);
CREATE INDEX recipients_name_birth ON recipients (name_key, date_of_birth);

CREATE TABLE recipient_proofs (
    id               TEXT PRIMARY KEY NOT NULL,
    recipient_id     TEXT NOT NULL REFERENCES recipients (id),
    kind             TEXT NOT NULL CHECK (kind IN ('status', 'financial_hardship')),
    category         TEXT,
    document_kind    TEXT NOT NULL,
    document_number  TEXT,
    issuer           TEXT,
    issued_on        DATE,
    provided_on      DATE NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    CHECK ((kind = 'status' AND category IS NOT NULL) OR (kind = 'financial_hardship' AND category IS NULL))
);
CREATE INDEX recipient_proofs_recipient ON recipient_proofs (recipient_id);

-- Every read of a recipient's personal data: who, when, which record. Append-only.
CREATE TABLE recipient_access_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id  TEXT NOT NULL,
    accessed_at   TIMESTAMP NOT NULL,
    account_id    TEXT NOT NULL,
    username      TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        TEXT NOT NULL,
    access        TEXT NOT NULL,
    request_id    TEXT
);
CREATE INDEX recipient_access_log_recipient ON recipient_access_log (recipient_id);
CREATE INDEX recipient_access_log_account ON recipient_access_log (account_id);
CREATE INDEX recipient_access_log_accessed ON recipient_access_log (accessed_at);
CREATE TRIGGER recipient_access_log_no_update BEFORE UPDATE ON recipient_access_log
BEGIN SELECT RAISE(ABORT, 'recipient_access_log is append-only'); END;
CREATE TRIGGER recipient_access_log_no_delete BEFORE DELETE ON recipient_access_log
BEGIN SELECT RAISE(ABORT, 'recipient_access_log is append-only'); END;
