-- SMS: inbound messages already answered, per-number state (opt-out, pages, flood), delivery.
CREATE TABLE sms_inbound (
    sid TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
);

CREATE TABLE sms_numbers (
    address TEXT PRIMARY KEY,
    opted_out_at TEXT,
    pages TEXT NOT NULL DEFAULT '[]',
    window_start TEXT,
    window_count INTEGER NOT NULL DEFAULT 0,
    muted_until TEXT
);

CREATE TABLE sms_status (
    sid TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
