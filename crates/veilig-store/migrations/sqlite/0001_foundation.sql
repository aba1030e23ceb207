-- Veilig foundation schema, SQLite flavour. Times are TEXT 'YYYY-MM-DD HH:MM:SS' (local civil
-- time of the zone), dates TEXT 'YYYY-MM-DD', booleans INTEGER 0/1. Zone id on every row.
CREATE TABLE zones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    crs INTEGER NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE municipalities (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    nis_code TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    PRIMARY KEY (zone_id, nis_code)
);

CREATE TABLE batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mapping TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    stored INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    synthetic INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX batches_zone ON batches(zone_id, source, sha256);

CREATE TABLE rejects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    line INTEGER NOT NULL,
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL
);
CREATE INDEX rejects_batch ON rejects(batch_id, line);

CREATE TABLE phenomena (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    code TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    nvp INTEGER,
    mapped INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (zone_id, code)
);

CREATE TABLE category_map (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    source TEXT NOT NULL,
    category TEXT NOT NULL,
    phenomenon TEXT NOT NULL,
    PRIMARY KEY (zone_id, source, category)
);

CREATE TABLE areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    municipality_nis TEXT,
    geometry TEXT NOT NULL,
    min_x REAL NOT NULL, min_y REAL NOT NULL, max_x REAL NOT NULL, max_y REAL NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    UNIQUE (zone_id, code)
);

CREATE TABLE population (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    ref_date TEXT NOT NULL,
    inhabitants INTEGER NOT NULL,
    dwellings INTEGER,
    households INTEGER,
    source TEXT NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (zone_id, level, code, ref_date)
);

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    category TEXT NOT NULL,
    phenomenon TEXT NOT NULL,
    occurred_from TEXT NOT NULL,
    occurred_to TEXT NOT NULL,
    reported_at TEXT,
    x REAL, y REAL,
    orig_x REAL, orig_y REAL, orig_crs INTEGER,
    address TEXT,
    source_area TEXT,
    area_id INTEGER REFERENCES areas(id),
    premises TEXT,
    outcome TEXT,
    synthetic INTEGER NOT NULL DEFAULT 0,
    UNIQUE (zone_id, source, source_key)
);
CREATE INDEX incidents_phen_time ON incidents(zone_id, phenomenon, occurred_from);
-- No (category, time) index: it cost 12 % of import time. Analysis reads by phenomenon;
-- a query by source category scans the zone's rows (tens of milliseconds per 100,000).
CREATE INDEX incidents_area ON incidents(zone_id, area_id);

CREATE TABLE stat_counts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    source TEXT NOT NULL,
    level TEXT NOT NULL,
    area_code TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    category TEXT NOT NULL,
    category_kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    closing_date TEXT NOT NULL,
    provisional INTEGER NOT NULL,
    UNIQUE (zone_id, source, level, area_code, period_start, period_end, category, closing_date)
);

CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    received_at TEXT NOT NULL,
    priority TEXT NOT NULL,
    category TEXT,
    committed_minutes REAL,
    x REAL, y REAL,
    orig_x REAL, orig_y REAL, orig_crs INTEGER,
    area_id INTEGER REFERENCES areas(id),
    synthetic INTEGER NOT NULL DEFAULT 0,
    UNIQUE (zone_id, source, source_key)
);
CREATE INDEX calls_time ON calls(zone_id, received_at);

CREATE TABLE staff (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    code TEXT NOT NULL,
    functionality TEXT NOT NULL,
    rank TEXT NOT NULL,
    fte REAL NOT NULL,
    contract_hours_week REAL NOT NULL,
    skills TEXT NOT NULL,
    area_code TEXT,
    synthetic INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (zone_id, code)
);
