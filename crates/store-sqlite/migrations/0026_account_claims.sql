-- Claiming imported accounts: an account an import made has no password; its owner
-- claims it through a mailed link, choosing a password and keeping what it holds.
-- `imported_at` says when an import made it (NULL for the site's own accounts),
-- `claimed_at` when its owner claimed it.
ALTER TABLE users ADD COLUMN imported_at INTEGER;
ALTER TABLE users ADD COLUMN claimed_at INTEGER;

-- Accounts made by earlier imports: no password and no address, on a site that
-- has run an import (a demo site's generated members have neither, but no import).
UPDATE users SET imported_at = created_at
WHERE password_hash IS NULL AND email IS NULL
  AND (id IN (SELECT user_id FROM imported_profiles) OR EXISTS (SELECT 1 FROM imports));

-- The claim link is a mailed token of its own purpose. SQLite cannot change a
-- CHECK constraint in place, so the table is made again with the new list.
CREATE TABLE email_tokens_new (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'claim_account')),
    email      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
INSERT INTO email_tokens_new (token_hash, user_id, purpose, email, created_at, expires_at, used_at)
SELECT token_hash, user_id, purpose, email, created_at, expires_at, used_at FROM email_tokens;
DROP TABLE email_tokens;
ALTER TABLE email_tokens_new RENAME TO email_tokens;
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id);
