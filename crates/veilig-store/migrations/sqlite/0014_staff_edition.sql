-- Reports issued before version 14 as the "council" edition carry exact figures, small
-- counts included: from now on that is the staff edition (internal), and the council edition
-- goes through disclosure control. Those reports are relabelled so that no council member
-- downloads an exact edition under the new name. The append-only trigger is lifted for this
-- one relabelling and put back as it was (SQLite flavour).
DROP TRIGGER reports_no_update;
UPDATE reports
SET edition = 'staff',
    parameters = REPLACE(parameters, '"edition":"council"', '"edition":"staff"')
WHERE edition = 'council';
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports is append-only'); END;
