-- SQLite dialect. Keep in step with migrations/postgres/2026-11-22-000003_cases.
-- One case per aided person who requested aid. `group_ref` groups the cases of one
-- proceeding (three aided defendants in one trial are three cases).
CREATE TABLE cases (
    id                        TEXT PRIMARY KEY NOT NULL,
    code                      TEXT NOT NULL UNIQUE,
    group_ref                 TEXT,
    organization_id           TEXT NOT NULL REFERENCES organizations (id),
    recipient_id              TEXT NOT NULL REFERENCES recipients (id),
    requester_name            TEXT,
    requester_relation        TEXT,
    received_on               DATE NOT NULL,
    accepted_on               DATE,
    field                     TEXT NOT NULL,
    form                      TEXT NOT NULL,
    place                     TEXT NOT NULL,
    provider_id               TEXT REFERENCES staff (id),
    provider_kind             TEXT,
    summary                   TEXT NOT NULL,
    search_text               TEXT NOT NULL,
    -- Litigation details (role, stage, procedural agency, charge, the procuracy's proposed
    -- sentence, outcome) as JSON; what reports filter on has its own columns.
    litigation                TEXT,
    outcome_on                DATE,
    defence_accepted          BOOLEAN,
    success_kind              TEXT,
    state                     TEXT NOT NULL,
    closed_on                 DATE,
    closing_grounds           TEXT,
    transferred_from_case_id  TEXT REFERENCES cases (id),
    transferred_to_org_id     TEXT REFERENCES organizations (id),
    -- Quality evaluation (grade, evaluator, date) as JSON.
    quality                   TEXT,
    deleted_at                TIMESTAMP,
    version                   BIGINT NOT NULL,
    created_at                TIMESTAMP NOT NULL,
    updated_at                TIMESTAMP NOT NULL
);
CREATE INDEX cases_organization_state ON cases (organization_id, state);
CREATE INDEX cases_received ON cases (received_on);
CREATE INDEX cases_recipient ON cases (recipient_id);
CREATE INDEX cases_provider ON cases (provider_id);
CREATE INDEX cases_group ON cases (group_ref);

-- The last sequence number used per organization and year: codes are never reused.
CREATE TABLE case_sequences (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    year             INTEGER NOT NULL,
    last_value       BIGINT NOT NULL,
    PRIMARY KEY (organization_id, year)
);

-- The history of a case: every step, with who took it and why.
CREATE TABLE case_events (
    id                TEXT PRIMARY KEY NOT NULL,
    case_id           TEXT NOT NULL REFERENCES cases (id),
    step              TEXT NOT NULL,
    from_state        TEXT,
    to_state          TEXT NOT NULL,
    occurred_on       DATE NOT NULL,
    recorded_at       TIMESTAMP NOT NULL,
    actor_account_id  TEXT,
    actor_username    TEXT NOT NULL,
    reason            TEXT,
    details           TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, recorded_at);

-- Requests to the Agency's data centre to change locked cases (seed 000 §2d, appendices 02
-- and 03): edit, delete, or take out of the archive.
CREATE TABLE change_requests (
    id                TEXT PRIMARY KEY NOT NULL,
    organization_id   TEXT NOT NULL REFERENCES organizations (id),
    kind              TEXT NOT NULL CHECK (kind IN ('edit', 'delete', 'unarchive')),
    reason            TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by      TEXT NOT NULL,
    requested_at      TIMESTAMP NOT NULL,
    decided_by        TEXT,
    decided_at        TIMESTAMP,
    decision_reason   TEXT,
    version           BIGINT NOT NULL
);
CREATE INDEX change_requests_status ON change_requests (status, requested_at);
CREATE INDEX change_requests_organization ON change_requests (organization_id);

CREATE TABLE change_request_items (
    id                 TEXT PRIMARY KEY NOT NULL,
    change_request_id  TEXT NOT NULL REFERENCES change_requests (id),
    case_id            TEXT NOT NULL REFERENCES cases (id),
        proposed_changes   TEXT,
    -- True while the request is pending: a case is under at most one pending request.
    open               BOOLEAN NOT NULL
);
CREATE INDEX change_request_items_request ON change_request_items (change_request_id);
CREATE INDEX change_request_items_case ON change_request_items (case_id);
CREATE UNIQUE INDEX change_request_items_one_open ON change_request_items (case_id) WHERE open;

-- Requests for review (kiến nghị, form 2): written by a legal aid organization to a
-- competent agency about how law is applied.
CREATE TABLE review_requests (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    kind             TEXT NOT NULL CHECK (kind IN ('case_resolution', 'public_duty', 'legislation')),
    addressee        TEXT NOT NULL,
    content          TEXT NOT NULL,
    case_id          TEXT REFERENCES cases (id),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'answered')),
    sent_on          DATE,
    answered_on      DATE,
    answer           TEXT,
    search_text      TEXT NOT NULL,
    deleted_at       TIMESTAMP,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX review_requests_organization ON review_requests (organization_id, state);
CREATE INDEX review_requests_sent ON review_requests (sent_on);

-- Documents of case files. The bytes live in the attachment store, outside the database.
CREATE TABLE attachments (
    id            TEXT PRIMARY KEY NOT NULL,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP
);
CREATE INDEX attachments_case ON attachments (case_id);
