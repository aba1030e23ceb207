-- Calls for service: the response time, minutes from receipt to the first unit on scene
-- (SQLite flavour; NULL when not recorded).
ALTER TABLE calls ADD COLUMN response_minutes REAL;
