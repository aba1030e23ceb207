-- The incidents' uniqueness key (zone, source, source key) becomes a named index instead of
-- a table constraint. A constraint's index cannot be dropped; a named one can, so a large
-- first import into a small store can drop the table's indexes, append its rows and build
-- the indexes again by sorting (ImportTx::bulk_load), which is much faster than inserting
-- hash-ordered keys one by one. The index still guarantees uniqueness, and ON CONFLICT
-- (zone_id, source, source_key) works against it as before.
-- SQLite cannot drop a table constraint: the table is rebuilt (its documented procedure);
-- nothing references incidents, and AUTOINCREMENT's high-water mark is carried over.
CREATE TABLE incidents_rebuilt (
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
    synthetic INTEGER NOT NULL DEFAULT 0
);
INSERT INTO incidents_rebuilt SELECT id, zone_id, batch_id, source, source_key, category,
    phenomenon, occurred_from, occurred_to, reported_at, x, y, orig_x, orig_y, orig_crs,
    address, source_area, area_id, premises, outcome, synthetic FROM incidents ORDER BY id;
CREATE TEMP TABLE incidents_high_water AS
    SELECT seq FROM sqlite_sequence WHERE name = 'incidents';
DROP TABLE incidents;
ALTER TABLE incidents_rebuilt RENAME TO incidents;
DELETE FROM sqlite_sequence WHERE name = 'incidents';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'incidents', MAX(seq) FROM (
        SELECT seq FROM temp.incidents_high_water
        UNION ALL SELECT MAX(id) FROM incidents
    ) WHERE seq IS NOT NULL HAVING COUNT(*) > 0;
DROP TABLE temp.incidents_high_water;
CREATE UNIQUE INDEX incidents_key ON incidents(zone_id, source, source_key);
CREATE INDEX incidents_phen_time ON incidents(zone_id, phenomenon, occurred_from);
CREATE INDEX incidents_area ON incidents(zone_id, area_id);
