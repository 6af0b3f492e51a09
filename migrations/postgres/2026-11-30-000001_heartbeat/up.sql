-- One row, rewritten by the readiness probe: a real committed write, so that readiness
-- fails when writes fail (a full disk, a read-only database). Infrastructure, not audited.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY,
    beat_at TEXT NOT NULL
);
