-- The chief's foreword to a zone's report of a year (PostgreSQL flavour): one text per report
-- kind, year and language, editable until the report is issued (an issued report keeps its
-- bytes; a later edit changes only the reports issued after it). Every edit is audited.
CREATE TABLE forewords (
    zone_id BIGINT NOT NULL REFERENCES zones(id),
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    lang TEXT NOT NULL,
    body TEXT NOT NULL,
    signed TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (zone_id, kind, year, lang)
);
