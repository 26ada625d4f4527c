-- Answered SMS are now marked in the inbox, in the same transaction as the turn.
DROP TABLE sms_inbound;
