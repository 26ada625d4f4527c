-- A request carries what the resident attached: a voice note for staff (Telegram's file id) and a shared location.
ALTER TABLE requests ADD COLUMN voice TEXT;

ALTER TABLE requests ADD COLUMN latitude REAL;

ALTER TABLE requests ADD COLUMN longitude REAL;
