-- What each source of a zone covers (SQLite flavour): the first and last day its records
-- speak for. Set from each import (widened, never narrowed), editable by an analyst (then
-- `edited` is 1 and an import only moves the last day later). Exposure, trends and period
-- checks read it instead of the first or last record of one phenomenon.
CREATE TABLE coverage (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    source TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    edited INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (zone_id, source)
);
INSERT INTO coverage (zone_id, source, first_day, last_day, edited)
SELECT zone_id, source, date(MIN(occurred_from)), date(MAX(occurred_from)), 0
FROM incidents GROUP BY zone_id, source;
