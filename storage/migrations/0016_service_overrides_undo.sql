-- A status staff set can be undone from the desk; the row stays, with who undid it and when.
ALTER TABLE service_overrides ADD COLUMN undone_at TEXT;

ALTER TABLE service_overrides ADD COLUMN undone_by TEXT;
