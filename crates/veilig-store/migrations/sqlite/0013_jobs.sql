-- Heavy figures computed when the data change, not when a page is opened (SQLite flavour).
-- `jobs` is the durable queue: one row per computation of one zone at one data version
-- (kind + params name it), claimed in one UPDATE (SQLite runs one writer at a time) so that two servers on one
-- database never run the same job; a running job keeps a heartbeat, and a job whose
-- heartbeat stops (its server died) is claimed again. `computed` holds each computation's
-- newest result (JSON) with the data version it belongs to; a reader asks for the version
-- it reads now, so nothing older than the last import is ever shown. Both are derived from
-- the rest of the store: backups leave them out and a restored store computes them anew.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    data_version INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    heartbeat_at TEXT,
    finished_at TEXT,
    error TEXT
);
CREATE UNIQUE INDEX jobs_key ON jobs (zone_id, kind, params, data_version);
CREATE INDEX jobs_queue ON jobs (state, priority, id);

CREATE TABLE computed (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    kind TEXT NOT NULL,
    params TEXT NOT NULL,
    data_version INTEGER NOT NULL,
    value TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    millis INTEGER NOT NULL,
    PRIMARY KEY (zone_id, kind, params)
);
