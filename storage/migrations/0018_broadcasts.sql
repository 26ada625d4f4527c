-- Notices staff send to chosen residents (each recipient's message is an outbox row keyed
-- "broadcast:<id>:<n>", paced by due time), and residents who asked to be told when a
-- service changes ("notify me").
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    audience TEXT NOT NULL,
    texts TEXT NOT NULL,
    send_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    recipients INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    cancelled_at TEXT,
    cancelled_by TEXT
);

CREATE INDEX broadcasts_by_municipality ON broadcasts (municipality_id, id);

CREATE TABLE subscriptions (
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    municipality_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (resident_id, municipality_id, service_id)
);
