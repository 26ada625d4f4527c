-- Residents, and the channel addresses (Telegram id, phone, console) that reach each of them.
CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    municipality_id TEXT,
    language TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE identities (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    resident_id INTEGER NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (channel, address)
);

CREATE INDEX identities_resident ON identities (resident_id);
