-- The figures of cases and person-times kept as they move (tgpl_domain::statistics::tally):
-- per organization, per kind ('cases', 'persons') and per bucket (a month 'M2026-11' or a
-- reporting year 'Y2026'), the tallies of the records by the values the forms break them
-- down by, packed in `data`. Written in the same transaction as every change of a case, a
-- recipient, a membership or a participation that moves them; rebuilt from the records when
-- `statistics_tallies_state.built` is false (a new database, a bulk load).
CREATE TABLE statistics_tallies (
    organization_id TEXT NOT NULL,
    family TEXT NOT NULL,
    bucket TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (organization_id, family, bucket)
) WITHOUT ROWID;
CREATE TABLE statistics_tallies_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    built BOOLEAN NOT NULL
);
INSERT INTO statistics_tallies_state (id, built) VALUES (1, FALSE);
