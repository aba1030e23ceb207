-- API tokens for integrations and the open-data API (SQLite flavour): only the token's SHA-256
-- is kept; each is scoped to one zone and one role, expires, and may be revoked.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    zone_id INTEGER NOT NULL REFERENCES zones(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
