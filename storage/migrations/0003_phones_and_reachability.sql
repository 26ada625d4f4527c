-- A resident's verified phone (E.164), and channel addresses that can no longer be reached.
ALTER TABLE residents ADD COLUMN phone TEXT;

CREATE UNIQUE INDEX residents_phone ON residents (phone) WHERE phone IS NOT NULL;

ALTER TABLE identities ADD COLUMN unreachable_since TEXT;
