-- Leave and rostering wishes of the zone's staff; the capacity plan reads them (SQLite flavour).
-- Officers are named by staff code, not by foreign key: a staff list may be re-imported.
CREATE TABLE staff_leave (
    id INTEGER PRIMARY KEY,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    officer TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    -- verlof, ziekte, opleiding, ...
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    CHECK (last_day >= first_day)
);
CREATE INDEX staff_leave_days ON staff_leave(zone_id, first_day, last_day);

CREATE TABLE staff_wishes (
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    officer TEXT NOT NULL,
    no_nights INTEGER NOT NULL,
    PRIMARY KEY (zone_id, officer)
);
