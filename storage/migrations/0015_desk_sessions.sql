-- The desk's sessions are kept here too (the cookie holds only a random id), so that signing
-- out ends a session for good, and a timeline names who acted even after they leave the staff.
CREATE TABLE desk_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

ALTER TABLE request_events ADD COLUMN actor_name TEXT;
