-- Following the plan (SQLite flavour): indicators bound to queries (definition as JSON),
-- their measurements (append-only: a revision is a new row beside the old), problem files
-- (SARA), Compstat reviews and yearly evaluations with their decisions.
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    plan_id INTEGER REFERENCES plans(id),
    code TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    UNIQUE (zone_id, code)
);

CREATE TABLE measurements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    revision INTEGER NOT NULL,
    value REAL NOT NULL,
    low REAL,
    high REAL,
    count INTEGER,
    exposure_days REAL,
    provisional INTEGER NOT NULL,
    -- JSON array of the import batches the value was computed from
    batches TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('computed', 'entered')),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT,
    UNIQUE (indicator_id, period_start, period_end, revision)
);
CREATE TRIGGER measurements_no_update BEFORE UPDATE ON measurements
BEGIN SELECT RAISE(ABORT, 'measurements is append-only'); END;
CREATE TRIGGER measurements_no_delete BEFORE DELETE ON measurements
BEGIN SELECT RAISE(ABORT, 'measurements is append-only'); END;

CREATE TABLE problem_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    code TEXT NOT NULL,
    -- JSON: the whole file (scanning, analysis, response, assessment settings)
    document TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (zone_id, code)
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    kind TEXT NOT NULL CHECK (kind IN ('compstat', 'annual')),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    held_on TEXT NOT NULL,
    -- JSON: the agenda as drafted, and for an annual evaluation the verdicts per objective
    document TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT
);

CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    what TEXT NOT NULL,
    who TEXT NOT NULL,
    due TEXT NOT NULL,
    closed_in INTEGER REFERENCES reviews(id),
    closed_note TEXT
);
