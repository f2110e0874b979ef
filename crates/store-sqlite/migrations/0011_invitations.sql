-- Invitation links, for sites whose registration is by invitation: each one works
-- for a number of sign-ups until it expires or is withdrawn. Only hashes are kept.
-- A sign-up made with one names it, and uses it up when its account is made.
CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    max_uses   INTEGER NOT NULL,
    uses       INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER
);
CREATE INDEX invitations_created_by_idx ON invitations (created_by, id);
ALTER TABLE signups ADD COLUMN invitation_hash TEXT;
