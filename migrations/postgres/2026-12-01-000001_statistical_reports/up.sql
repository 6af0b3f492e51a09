-- Statistical reports sent up the chain (Circular 02/2011/TT-BTP art. 5-9): one per
-- organization, form and period, with where it stands, and its revisions: each submission,
-- each resubmission after a return and each correction, kept with the figures it froze.
CREATE TABLE statistical_reports (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    form TEXT NOT NULL,
    -- The period in its canonical form (tgpl_domain::statistics::Period's text).
    period TEXT NOT NULL,
    -- The organization that receives it on the period's last day; none for the Agency when
    -- no Ministry is kept here.
    receiver_id TEXT REFERENCES organizations (id),
    due_on DATE,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    -- A draft's entered figures (JSON rows), for a unit that keeps no records here.
    entered_figures TEXT,
    explanation TEXT,
    missing_explanation TEXT,
    first_submitted_on DATE,
    -- The newest revision submitted (0: none yet), and the one the receiver accepted.
    current_revision INTEGER NOT NULL,
    accepted_revision INTEGER,
    return_reason TEXT,
    -- A unit below corrected figures this report used after it was submitted.
    needs_resubmission BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, form, period)
);
CREATE INDEX statistical_reports_receiver ON statistical_reports (receiver_id, form, period);
CREATE INDEX statistical_reports_period ON statistical_reports (form, period);

CREATE TABLE statistical_report_revisions (
    report_id TEXT NOT NULL REFERENCES statistical_reports (id),
    revision INTEGER NOT NULL,
    source TEXT NOT NULL,
    -- The figures as frozen (JSON rows), and what they cover (JSON: the organizations whose
    -- records were counted, and the entered reports added).
    figures TEXT NOT NULL,
    coverage TEXT NOT NULL,
    explanation TEXT,
    missing_explanation TEXT,
    -- For a correction (art. 9): why; proposed, then confirmed by the unit's head.
    correction_reason TEXT,
    proposed_at TIMESTAMP NOT NULL,
    proposed_by TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    confirmed_by TEXT,
    -- accepted or returned by the receiver, with when, who and why.
    decision TEXT,
    decided_at TIMESTAMP,
    decided_by TEXT,
    decision_reason TEXT,
    PRIMARY KEY (report_id, revision)
);
