-- Mail for the inbox: each member's choices (immediate mail for items addressed
-- to them, a daily or weekly digest of what they follow), and the durable outbox
-- one node sends from. A row is claimed before it is sent and marked sent after,
-- so a restart never sends it twice; a failure puts it back with a later try.
CREATE TABLE mail_preferences (
    user_id        INTEGER PRIMARY KEY REFERENCES users (id),
    direct         INTEGER NOT NULL DEFAULT 1,
    digest         TEXT NOT NULL DEFAULT 'weekly' CHECK (digest IN ('off', 'daily', 'weekly')),
    digest_sent_at INTEGER
);
CREATE INDEX mail_preferences_digest_idx ON mail_preferences (digest_sent_at) WHERE digest <> 'off';

CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id),
    kind             TEXT NOT NULL CHECK (kind IN ('direct', 'digest')),
    notice_id        INTEGER REFERENCES notifications (id),
    period_start     INTEGER NOT NULL DEFAULT 0,
    period_end       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_at       INTEGER,
    sent_at          INTEGER,
    failed_at        INTEGER,
    last_error       TEXT NOT NULL DEFAULT '',
    unsubscribe_hash TEXT UNIQUE
);
CREATE UNIQUE INDEX mail_outbox_notice_key ON mail_outbox (notice_id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL AND claimed_at IS NULL;
CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id, created_at);
