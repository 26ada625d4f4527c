-- Requests from isolated residents, the staff who handle them, their group chats, the audit log.
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    resident_id INTEGER REFERENCES residents (id) ON DELETE SET NULL,
    channel TEXT,
    address TEXT,
    language TEXT,
    needs TEXT NOT NULL,
    details TEXT,
    home_address TEXT,
    phone TEXT,
    urgency TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    taken_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    escalated_at TEXT
);

CREATE INDEX requests_open ON requests (municipality_id, status, created_at);

CREATE TABLE staff (
    user_id TEXT NOT NULL,
    municipality_id TEXT NOT NULL,
    role TEXT NOT NULL,
    queue TEXT,
    name TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, municipality_id)
);

CREATE TABLE staff_invites (
    code TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    role TEXT NOT NULL,
    queue TEXT,
    created_at TEXT NOT NULL,
    used_by TEXT,
    used_at TEXT
);

CREATE TABLE staff_groups (
    chat_id TEXT NOT NULL,
    municipality_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    bound_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, municipality_id, queue)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    request_id INTEGER,
    outcome TEXT NOT NULL
);

ALTER TABLE residents ADD COLUMN home_address TEXT;
