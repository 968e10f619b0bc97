-- The first answer to each Idempotency-Key, so that a retried submission gets it again instead of a second run.
CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    request_sha256  TEXT NOT NULL,
    status          INTEGER NOT NULL,
    body            TEXT NOT NULL
);
