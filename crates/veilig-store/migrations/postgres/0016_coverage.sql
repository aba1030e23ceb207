-- What each source of a zone covers (PostgreSQL flavour): the first and last day its records
-- speak for. Set from each import (widened, never narrowed), editable by an analyst (then
-- `edited` is true and an import only moves the last day later). Exposure, trends and period
-- checks read it instead of the first or last record of one phenomenon.
CREATE TABLE coverage (
    zone_id BIGINT NOT NULL REFERENCES zones(id),
    source TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    edited BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (zone_id, source)
);
INSERT INTO coverage (zone_id, source, first_day, last_day, edited)
SELECT zone_id, source, CAST(MIN(occurred_from) AS DATE), CAST(MAX(occurred_from) AS DATE), FALSE
FROM incidents GROUP BY zone_id, source;
