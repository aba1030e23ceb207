-- Issued reports and partners' feedback on plan actions (SQLite flavour).
-- A report is kept as issued (append-only): its PDF (base64, so that backups carry it as
-- text), the data version and batches it was made from, the
-- parameters and the hashes of its content and bytes (the same inputs give the same bytes).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    municipality TEXT,
    organisation TEXT,
    edition TEXT NOT NULL,
    lang TEXT NOT NULL,
    data_version INTEGER NOT NULL,
    batches TEXT NOT NULL,
    parameters TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    pdf_base64 TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL
);
CREATE INDEX reports_zone ON reports (zone_id, kind, year);
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports is append-only'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports is append-only'); END;

-- A partner's remark on an action it takes part in, and the zone's answer.
CREATE TABLE action_feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    plan_code TEXT NOT NULL,
    action_code TEXT NOT NULL,
    organisation TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT
);
CREATE INDEX action_feedback_zone ON action_feedback (zone_id, plan_code, action_code);
