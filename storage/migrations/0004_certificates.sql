-- The status-certificate register of each municipality (needy, low-income, declarations).
CREATE TABLE certificates (
    municipality_id TEXT NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    holder_phone TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    extension_months INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (municipality_id, number)
);

CREATE INDEX certificates_holder ON certificates (municipality_id, holder_phone);
