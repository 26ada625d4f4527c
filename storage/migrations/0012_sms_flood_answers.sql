-- SMS flood control: every message of a window is counted as well as the unasked ones.
-- Answers to the assistant's own questions count only towards a ceiling no person typing reaches.
ALTER TABLE sms_numbers ADD COLUMN window_total INTEGER NOT NULL DEFAULT 0;
