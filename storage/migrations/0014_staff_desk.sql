-- The staff desk: one-time sign-in links (only a hash of the token is kept) and each request's
-- timeline (status changes, replies to the resident, internal notes).
CREATE TABLE desk_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE request_events (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    text TEXT
);

CREATE INDEX request_events_by_request ON request_events (request_id, id);
