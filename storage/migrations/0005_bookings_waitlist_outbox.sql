-- Facility bookings with database-enforced capacity, waiting lists, and the outbox.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    text TEXT NOT NULL,
    choices TEXT NOT NULL DEFAULT '[]',
    key TEXT UNIQUE,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE waitlist (
    id INTEGER PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    facility_id TEXT NOT NULL,
    day TEXT NOT NULL,
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    language TEXT,
    status TEXT NOT NULL DEFAULT 'waiting',
    created_at TEXT NOT NULL,
    offer_expires_at TEXT
);

CREATE UNIQUE INDEX waitlist_once ON waitlist (resident_id, municipality_id, facility_id, day)
    WHERE status IN ('waiting', 'offered');

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    facility_id TEXT NOT NULL,
    day TEXT NOT NULL,
    resident_id INTEGER NOT NULL REFERENCES residents (id),
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    certificate TEXT,
    contactless INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);

CREATE UNIQUE INDEX bookings_once_a_day ON bookings (resident_id, municipality_id, facility_id, day)
    WHERE status = 'active';

CREATE INDEX bookings_by_day ON bookings (municipality_id, facility_id, day, status);

-- The capacity rule lives here, so no code path can overbook: active bookings plus places
-- held for someone offered from the waiting list never exceed the facility's capacity.
CREATE TRIGGER bookings_capacity BEFORE INSERT ON bookings
WHEN NEW.status = 'active' AND (
    (SELECT COUNT(*) FROM bookings b WHERE b.municipality_id = NEW.municipality_id
        AND b.facility_id = NEW.facility_id AND b.day = NEW.day AND b.status = 'active')
    + (SELECT COUNT(*) FROM waitlist w WHERE w.municipality_id = NEW.municipality_id
        AND w.facility_id = NEW.facility_id AND w.day = NEW.day AND w.status = 'offered'
        AND w.resident_id != NEW.resident_id)
) >= NEW.capacity
BEGIN
    SELECT RAISE(ABORT, 'facility full');
END;
