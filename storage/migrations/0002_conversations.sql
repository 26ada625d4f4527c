-- Dialog state per conversation, so that a dialog survives a restart.
CREATE TABLE conversations (
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    dialog TEXT NOT NULL,
    step TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    choices TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, address),
    FOREIGN KEY (channel, address) REFERENCES identities (channel, address) ON DELETE CASCADE
);
