-- PostgreSQL dialect. Keep in step with migrations/sqlite/2026-11-22-000001_initial.
-- Text columns that lists sort by use the "C" collation: bytes, as SQLite compares them.
-- Provinces are reference data that the Agency can change; the 34 provincial units in
-- force since 1 July 2025 are loaded below.
CREATE TABLE provinces (
    code        TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('city', 'province')),
    active      BOOLEAN NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE organizations (
    id                        TEXT PRIMARY KEY NOT NULL,
    code                      TEXT COLLATE "C" NOT NULL UNIQUE,
    name                      TEXT NOT NULL,
    name_en                   TEXT,
    kind                      TEXT NOT NULL,
    province_code             TEXT REFERENCES provinces (code),
    address                   TEXT,
    phone                     TEXT,
    email                     TEXT,
    status                    TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    participation_mode        TEXT CHECK (participation_mode IN ('contract', 'registration')),
    certificate_number        TEXT,
    participation_scope       TEXT,
    participation_valid_from  DATE,
    participation_valid_to    DATE,
    deactivated_on            DATE,
    search_text               TEXT COLLATE "C" NOT NULL,
    version                   BIGINT NOT NULL,
    created_at                TIMESTAMP NOT NULL,
    updated_at                TIMESTAMP NOT NULL
);
CREATE INDEX organizations_kind ON organizations (kind);
CREATE INDEX organizations_province ON organizations (province_code);

-- Dated parent links: valid_from inclusive, valid_to exclusive (NULL: still in force).
CREATE TABLE organization_links (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    parent_id   TEXT NOT NULL REFERENCES organizations (id),
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX organization_links_org ON organization_links (org_id);
CREATE INDEX organization_links_parent ON organization_links (parent_id);

-- People and service clients alike: service clients log in with their username as the
-- client id and a generated secret.
CREATE TABLE accounts (
    id               TEXT PRIMARY KEY NOT NULL,
    username         TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    status           TEXT NOT NULL CHECK (status IN ('active', 'locked', 'deactivated')),
    password_hash    TEXT NOT NULL,
    -- Tokens carry the epoch they were issued in; raising it revokes them all at once.
    token_epoch      INTEGER NOT NULL,
    search_text      TEXT COLLATE "C" NOT NULL,
    last_login_at    TIMESTAMP,
    version          BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX accounts_organization ON accounts (organization_id);

-- Login attempts per subject (a username or client id, known or not) since its last
-- success, kept in the database so that every API instance sees the same count.
CREATE TABLE login_attempts (
    subject            TEXT PRIMARY KEY NOT NULL,
    attempts           INTEGER NOT NULL,
    window_started_at  TIMESTAMP NOT NULL,
    blocked_until      TIMESTAMP
);

-- Append-only: every write of the system leaves a row here, and no row ever changes.
CREATE TABLE audit_log (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at       TIMESTAMP NOT NULL,
    actor_account_id  TEXT,
    actor_username    TEXT NOT NULL,
    actor_role        TEXT,
    actor_org_id      TEXT,
    action            TEXT NOT NULL,
    resource_type     TEXT NOT NULL,
    resource_id       TEXT NOT NULL,
    before_json       TEXT,
    after_json        TEXT,
    request_id        TEXT
);
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id);
CREATE INDEX audit_log_actor ON audit_log (actor_account_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

INSERT INTO provinces (code, name_vi, name_en, kind, active, version, created_at, updated_at) VALUES
    ('ha_noi', 'Hà Nội', 'Ha Noi', 'city', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('hue', 'Huế', 'Hue', 'city', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('hai_phong', 'Hải Phòng', 'Hai Phong', 'city', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('da_nang', 'Đà Nẵng', 'Da Nang', 'city', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('ho_chi_minh', 'Thành phố Hồ Chí Minh', 'Ho Chi Minh City', 'city', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('can_tho', 'Cần Thơ', 'Can Tho', 'city', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('lai_chau', 'Lai Châu', 'Lai Chau', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('dien_bien', 'Điện Biên', 'Dien Bien', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('son_la', 'Sơn La', 'Son La', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('lang_son', 'Lạng Sơn', 'Lang Son', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('quang_ninh', 'Quảng Ninh', 'Quang Ninh', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('thanh_hoa', 'Thanh Hóa', 'Thanh Hoa', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('nghe_an', 'Nghệ An', 'Nghe An', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('ha_tinh', 'Hà Tĩnh', 'Ha Tinh', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('cao_bang', 'Cao Bằng', 'Cao Bang', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('tuyen_quang', 'Tuyên Quang', 'Tuyen Quang', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('lao_cai', 'Lào Cai', 'Lao Cai', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('thai_nguyen', 'Thái Nguyên', 'Thai Nguyen', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('phu_tho', 'Phú Thọ', 'Phu Tho', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('bac_ninh', 'Bắc Ninh', 'Bac Ninh', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('hung_yen', 'Hưng Yên', 'Hung Yen', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('ninh_binh', 'Ninh Bình', 'Ninh Binh', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('quang_tri', 'Quảng Trị', 'Quang Tri', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('quang_ngai', 'Quảng Ngãi', 'Quang Ngai', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('gia_lai', 'Gia Lai', 'Gia Lai', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('khanh_hoa', 'Khánh Hòa', 'Khanh Hoa', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('lam_dong', 'Lâm Đồng', 'Lam Dong', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('dak_lak', 'Đắk Lắk', 'Dak Lak', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('dong_nai', 'Đồng Nai', 'Dong Nai', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('tay_ninh', 'Tây Ninh', 'Tay Ninh', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('vinh_long', 'Vĩnh Long', 'Vinh Long', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('dong_thap', 'Đồng Tháp', 'Dong Thap', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('an_giang', 'An Giang', 'An Giang', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00'),
    ('ca_mau', 'Cà Mau', 'Ca Mau', 'province', TRUE, 1, '2025-07-01 00:00:00', '2025-07-01 00:00:00');
