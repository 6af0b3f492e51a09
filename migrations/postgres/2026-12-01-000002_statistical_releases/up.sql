-- Releases of national figures (Circular 02/2011 art. 15): for a form and a period, the
-- accepted figures of every province frozen as a numbered vintage. A vintage never changes;
-- a later correction is released as the next one.
CREATE TABLE statistical_releases (
    id TEXT PRIMARY KEY,
    form TEXT NOT NULL,
    -- The period in its canonical form.
    period TEXT NOT NULL,
    vintage INTEGER NOT NULL,
    -- JSON: per province, the Department's report and revision and its figures.
    areas TEXT NOT NULL,
    note TEXT,
    released_at TIMESTAMP NOT NULL,
    released_by TEXT NOT NULL,
    UNIQUE (form, period, vintage)
);
CREATE INDEX statistical_releases_time ON statistical_releases (released_at);
