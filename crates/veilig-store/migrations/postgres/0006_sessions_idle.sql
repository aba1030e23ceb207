-- Several server processes on one database: sessions end after a time without use as well as
-- at their absolute expiry (last_seen, touched by the server at most once a minute), and
-- failed logins are counted from the audit trail, which every process writes (its index).
ALTER TABLE sessions ADD COLUMN last_seen TIMESTAMP;
CREATE INDEX audit_log_action_at ON audit_log(action, at);
