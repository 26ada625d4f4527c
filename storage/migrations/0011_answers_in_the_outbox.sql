-- Answers go out through the outbox in their turn's transaction: what kind a row is (an answer
-- to a message, or a notice), the message it answers, how to show it (edit a pressed message,
-- ask for a phone); SMS pages still to be sent on MORE live with the conversation.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice';

ALTER TABLE outbox ADD COLUMN reply_to TEXT;

ALTER TABLE outbox ADD COLUMN meta TEXT NOT NULL DEFAULT '{}';

CREATE INDEX outbox_destination ON outbox (channel, address, status, id);

CREATE INDEX outbox_reply_to ON outbox (channel, reply_to) WHERE reply_to IS NOT NULL;

ALTER TABLE conversations ADD COLUMN pages TEXT NOT NULL DEFAULT '[]';

ALTER TABLE sms_numbers DROP COLUMN pages;
