-- Reports issued before version 14 as the "council" edition carry exact figures, small
-- counts included: from now on that is the staff edition (internal), and the council edition
-- goes through disclosure control. Those reports are relabelled so that no council member
-- downloads an exact edition under the new name. The append-only trigger is lifted for this
-- one relabelling and put back as it was (PostgreSQL flavour).
DROP TRIGGER reports_no_change ON reports;
UPDATE reports
SET edition = 'staff',
    parameters = REPLACE(parameters, '"edition":"council"', '"edition":"staff"')
WHERE edition = 'council';
CREATE TRIGGER reports_no_change BEFORE UPDATE OR DELETE ON reports
FOR EACH ROW EXECUTE FUNCTION veilig_append_only();
