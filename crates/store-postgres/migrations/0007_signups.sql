-- Sign-ups waiting for the link mailed to their address. The account is made only
-- when the link is opened, so that the sign-up form answers the same whether or
-- not the address has an account already. Only the token's hash is kept.
CREATE TABLE signups (
    token_hash    TEXT PRIMARY KEY,
    handle        TEXT NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX signups_email_idx ON signups (lower(email), created_at);
