-- Online applications from the national public-services portal (seed 001 §2).

-- The procedures taken online, by national procedure code: what each is (a
-- tgpl_domain::portal::procedure::ProcedureKind) and its limit in working days. The Agency
-- keeps them; codes marked `placeholder` are ours, held until the national code is entered.
CREATE TABLE portal_procedures (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    time_limit_days INTEGER NOT NULL,
    placeholder BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The dated exceptions of the working week: holidays on weekdays, weekend days worked
-- (tgpl_domain::portal::calendar). The Government moves them every year; the Agency keeps
-- them. 2027's Tết and Hùng Kings' days are as expected until they are decided.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);

-- The portal's status code for each of ours (tgpl_domain::portal::dossier::DossierStatus).
CREATE TABLE portal_status_codes (
    status TEXT PRIMARY KEY,
    portal_code TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A dossier filed on the portal. `applicant`, `contact` and `legal_aid` are JSON as the
-- portal sent them, validated.
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    dossier_code TEXT NOT NULL UNIQUE,
    procedure_code TEXT NOT NULL,
    procedure_kind TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    province_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant TEXT NOT NULL,
    contact TEXT NOT NULL,
    summary TEXT NOT NULL,
    legal_aid TEXT,
    case_code TEXT,
    card_number TEXT,
    received_at TIMESTAMP NOT NULL,
    counting_from DATE NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL,
    -- While awaiting documents: the status to return to and the working days left.
    resume_to TEXT,
    days_left INTEGER,
    finished_on DATE,
    note TEXT,
    case_id TEXT REFERENCES cases (id),
    recipient_id TEXT REFERENCES recipients (id),
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX dossiers_organization ON dossiers (organization_id, status, due_on);
CREATE INDEX dossiers_received_at ON dossiers (received_at);
CREATE INDEX dossiers_finished_on ON dossiers (finished_on);

-- The documents of a dossier, kept with it: a dossier and its documents are stored in one
-- transaction, so that a retried intake finds both or neither.
CREATE TABLE dossier_documents (
    id TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL REFERENCES dossiers (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX dossier_documents_dossier ON dossier_documents (dossier_id);

-- Progress entries, numbered by the feed's position. The position is taken from
-- dossier_feed_head as the last statement of the writing transaction, whose row lock then
-- orders the commits: every position is visible before any later one.
CREATE TABLE dossier_progress (
    position BIGINT PRIMARY KEY,
    dossier_id TEXT NOT NULL REFERENCES dossiers (id),
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    due_on DATE NOT NULL,
    actor_username TEXT NOT NULL,
    actor_organization_id TEXT,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX dossier_progress_dossier ON dossier_progress (dossier_id, position);

CREATE TABLE dossier_feed_head (
    id INTEGER PRIMARY KEY,
    position BIGINT NOT NULL
);
INSERT INTO dossier_feed_head (id, position) VALUES (1, 0);

-- The first answer to a request a client may retry, by the client's key: a retry with the
-- same content gets it again; other content under the same key is a conflict.
CREATE TABLE idempotent_requests (
    client_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, idempotency_key)
);

-- The portal's callback, registered by the data centre.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    deactivated_at TIMESTAMP
);

-- The outbox: one delivery per progress entry and active endpoint, written in the
-- transaction of the entry, delivered in order per dossier.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    dossier_id TEXT NOT NULL REFERENCES dossiers (id),
    position BIGINT NOT NULL,
    payload TEXT NOT NULL,
    delivered_at TIMESTAMP,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    last_attempt_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, dossier_id, position);




INSERT INTO portal_procedures (code, kind, time_limit_days, placeholder, active, updated_at) VALUES
    ('TGPL-LEGAL-AID-REQUEST', 'legal_aid_request', 0, 1, 1, CURRENT_TIMESTAMP),
    ('2.001687.000.00.00.H38', 'provider_change', 3, 0, 1, CURRENT_TIMESTAMP),
    ('TGPL-COMPLAINT-AT-ORGANIZATION', 'complaint_at_organization', 3, 1, 1, CURRENT_TIMESTAMP),
    ('TGPL-COMPLAINT-AT-DEPARTMENT', 'complaint_at_department', 15, 1, 1, CURRENT_TIMESTAMP),
    ('TGPL-PARTICIPATION-REGISTRATION', 'participation_registration', 7, 1, 1, CURRENT_TIMESTAMP),
    ('TGPL-PARTICIPATION-CHANGE', 'participation_change', 5, 1, 1, CURRENT_TIMESTAMP),
    ('TGPL-PARTICIPATION-END', 'participation_end', 3, 1, 1, CURRENT_TIMESTAMP),
    ('TGPL-CARD-REISSUE', 'card_reissue', 7, 1, 1, CURRENT_TIMESTAMP);

INSERT INTO calendar_days (day, kind, name) VALUES
    ('2025-01-01', 'holiday', 'Tết Dương lịch'),
    ('2025-01-27', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-28', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-29', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-30', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-01-31', 'holiday', 'Tết Nguyên đán Ất Tỵ'),
    ('2025-04-07', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'),
    ('2025-04-26', 'working_day', 'Làm bù cho ngày nghỉ 02/5/2025'),
    ('2025-04-30', 'holiday', 'Ngày Chiến thắng'),
    ('2025-05-01', 'holiday', 'Ngày Quốc tế lao động'),
    ('2025-05-02', 'holiday', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)'),
    ('2025-09-01', 'holiday', 'Quốc khánh (ngày liền kề)'),
    ('2025-09-02', 'holiday', 'Quốc khánh'),
    ('2026-01-01', 'holiday', 'Tết Dương lịch'),
    ('2026-02-16', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-17', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-18', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-19', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-20', 'holiday', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-04-27', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch, Chủ nhật 26/4/2026)'),
    ('2026-04-30', 'holiday', 'Ngày Chiến thắng'),
    ('2026-05-01', 'holiday', 'Ngày Quốc tế lao động'),
    ('2026-09-01', 'holiday', 'Quốc khánh (ngày liền kề)'),
    ('2026-09-02', 'holiday', 'Quốc khánh'),
    ('2027-01-01', 'holiday', 'Tết Dương lịch'),
    ('2027-02-05', 'holiday', 'Tết Nguyên đán Đinh Mùi (dự kiến, chờ Thủ tướng quyết định)'),
    ('2027-02-08', 'holiday', 'Tết Nguyên đán Đinh Mùi (dự kiến, chờ Thủ tướng quyết định)'),
    ('2027-02-09', 'holiday', 'Tết Nguyên đán Đinh Mùi (dự kiến, chờ Thủ tướng quyết định)'),
    ('2027-02-10', 'holiday', 'Tết Nguyên đán Đinh Mùi (dự kiến, chờ Thủ tướng quyết định)'),
    ('2027-02-11', 'holiday', 'Tết Nguyên đán Đinh Mùi (dự kiến, chờ Thủ tướng quyết định)'),
    ('2027-04-16', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch, dự kiến)'),
    ('2027-04-30', 'holiday', 'Ngày Chiến thắng'),
    ('2027-05-03', 'holiday', 'Nghỉ bù Ngày Quốc tế lao động (thứ Bảy 01/5/2027)'),
    ('2027-09-02', 'holiday', 'Quốc khánh'),
    ('2027-09-03', 'holiday', 'Quốc khánh (ngày liền kề, dự kiến)');

INSERT INTO portal_status_codes (status, portal_code, updated_at) VALUES
    ('received', '2', CURRENT_TIMESTAMP),
    ('awaiting_supplement', '5', CURRENT_TIMESTAMP),
    ('in_progress', '4', CURRENT_TIMESTAMP),
    ('refused', '3', CURRENT_TIMESTAMP),
    ('completed', '10', CURRENT_TIMESTAMP);
