-- Webhooks: the URLs an administrator registered for events, and the durable
-- queue of deliveries one node sends from. A delivery is claimed before it is sent
-- and finished after (delivered, given up, or put back with a later try), so a
-- restart never sends it twice at once; the log keeps each one's last status.
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id),
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_at      INTEGER,
    delivered_at    INTEGER,
    failed_at       INTEGER,
    last_status     INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at INTEGER
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL AND claimed_at IS NULL;
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, id);
