-- Telegram updates journaled before Telegram is told they arrived, so a crash loses none;
-- handled_at is set in the same transaction as the turn's changes, so none is applied twice.
-- The body is personal data: handled rows are deleted after a day.
CREATE TABLE inbox (
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    handled_at TEXT,
    PRIMARY KEY (channel, key)
);

CREATE INDEX inbox_pending ON inbox (channel, handled_at);
