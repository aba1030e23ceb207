-- Residents per municipality by sex and age band on a reference date (SQLite flavour): the
-- margins population surveys are raked to. A revision (another reference date) is kept beside.
CREATE TABLE population_groups (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    municipality TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_band TEXT NOT NULL,
    ref_date TEXT NOT NULL,
    inhabitants INTEGER NOT NULL CHECK (inhabitants >= 0),
    source TEXT NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (zone_id, municipality, sex, age_band, ref_date)
);
