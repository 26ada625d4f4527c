-- Service statuses set by staff; they override the content's periods for their dates.
CREATE TABLE service_overrides (
    id INTEGER PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    status TEXT NOT NULL,
    start_day TEXT NOT NULL,
    end_day TEXT,
    note TEXT,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

CREATE INDEX service_overrides_by_service ON service_overrides (municipality_id, service_id);
