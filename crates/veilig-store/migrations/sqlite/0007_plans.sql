-- The policy cycle (SQLite flavour): the ZVR's decisions and the stakeholder input of the
-- priority matrix (append-only), zonal security plans with every version kept as a JSON
-- document, and the approval steps of each version (append-only).
CREATE TABLE zvr_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    meeting TEXT NOT NULL,
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    domain TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('adopted', 'withdrawn')),
    rationale TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT
);
CREATE INDEX zvr_decisions_zone ON zvr_decisions (zone_id, id);
CREATE TRIGGER zvr_decisions_no_update BEFORE UPDATE ON zvr_decisions
BEGIN SELECT RAISE(ABORT, 'zvr_decisions is append-only'); END;
CREATE TRIGGER zvr_decisions_no_delete BEFORE DELETE ON zvr_decisions
BEGIN SELECT RAISE(ABORT, 'zvr_decisions is append-only'); END;

CREATE TABLE priority_inputs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    phenomenon TEXT NOT NULL,
    score REAL NOT NULL CHECK (score >= 0 AND score <= 5),
    source TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT
);
CREATE TRIGGER priority_inputs_no_update BEFORE UPDATE ON priority_inputs
BEGIN SELECT RAISE(ABORT, 'priority_inputs is append-only'); END;
CREATE TRIGGER priority_inputs_no_delete BEFORE DELETE ON priority_inputs
BEGIN SELECT RAISE(ABORT, 'priority_inputs is append-only'); END;

CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    code TEXT NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (zone_id, code)
);

CREATE TABLE plan_versions (
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'addendum', 'revision')),
    reason TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);

CREATE TABLE plan_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    version INTEGER NOT NULL,
    step TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'refused')),
    reference TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT,
    FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version)
);
CREATE TRIGGER plan_steps_no_update BEFORE UPDATE ON plan_steps
BEGIN SELECT RAISE(ABORT, 'plan_steps is append-only'); END;
CREATE TRIGGER plan_steps_no_delete BEFORE DELETE ON plan_steps
BEGIN SELECT RAISE(ABORT, 'plan_steps is append-only'); END;
-- A version with a step taken is frozen.
CREATE TRIGGER plan_versions_frozen BEFORE UPDATE ON plan_versions
WHEN EXISTS (SELECT 1 FROM plan_steps s WHERE s.plan_id = OLD.plan_id AND s.version = OLD.version)
BEGIN SELECT RAISE(ABORT, 'plan version is frozen: a step was taken'); END;

-- The organisation a partner account speaks for (the actions it takes part in).
CREATE TABLE partner_accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    organisation TEXT NOT NULL
);
