-- Claiming imported accounts: an account an import made has no password; its owner
-- claims it through a mailed link, choosing a password and keeping what it holds.
-- `imported_at` says when an import made it (NULL for the site's own accounts),
-- `claimed_at` when its owner claimed it.
ALTER TABLE users ADD COLUMN imported_at BIGINT;
ALTER TABLE users ADD COLUMN claimed_at BIGINT;

-- Accounts made by earlier imports: no password and no address, on a site that
-- has run an import (a demo site's generated members have neither, but no import).
UPDATE users SET imported_at = created_at
WHERE password_hash IS NULL AND email IS NULL
  AND (id IN (SELECT user_id FROM imported_profiles) OR EXISTS (SELECT 1 FROM imports));

-- The claim link is a mailed token of its own purpose.
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'claim_account'));
