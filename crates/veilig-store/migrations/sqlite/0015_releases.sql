-- Published tables as stored, immutable releases (SQLite flavour). A release is numbered per
-- zone and dated; it holds the protected tables (one phenomenon's calendar year each, with
-- their cells, true values and labels as JSON) that changed since the release before. Pages,
-- answers and reports that leave the zone read the latest release of a table, and a later
-- release of a table is protected jointly with all the earlier ones. `rules` names the
-- disclosure rules it was made with (method, version, threshold, periods): a reader under
-- other rules gets a release of its own, protected jointly with every earlier one. Nothing updates or
-- deletes a release: what was published stays on record (and in every backup).
CREATE TABLE releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    number INTEGER NOT NULL,
    released_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'first', 'revision')),
    reason TEXT,
    rules TEXT NOT NULL,
    complete_through TEXT,
    data_version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (zone_id, number)
);

CREATE TABLE release_tables (
    release_id INTEGER NOT NULL REFERENCES releases(id),
    phenomenon TEXT NOT NULL,
    year INTEGER NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (release_id, phenomenon, year)
);
CREATE INDEX release_tables_table ON release_tables (phenomenon, year);
CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
BEGIN SELECT RAISE(ABORT, 'releases is append-only'); END;
CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
BEGIN SELECT RAISE(ABORT, 'releases is append-only'); END;
CREATE TRIGGER release_tables_no_update BEFORE UPDATE ON release_tables
BEGIN SELECT RAISE(ABORT, 'release_tables is append-only'); END;
CREATE TRIGGER release_tables_no_delete BEFORE DELETE ON release_tables
BEGIN SELECT RAISE(ABORT, 'release_tables is append-only'); END;
