"""The SMS channel over Twilio: signed webhook in, TwiML and REST out, GSM-7 friendly text."""
