-- Staff at the door mark who came: 'came' or 'no-show' (NULL until marked), for the figures.
ALTER TABLE bookings ADD COLUMN attendance TEXT;
