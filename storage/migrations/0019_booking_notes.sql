-- What staff note on a booking made for a resident who phoned (how the door recognises them:
-- a name); erased with the resident's data.
ALTER TABLE bookings ADD COLUMN note TEXT;
