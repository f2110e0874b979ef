-- What a session's owner needs to recognise it on the settings page: the browser
-- it was started from and when it was last used (at most a few minutes stale).
-- Sessions from before this migration show as an unknown browser, last used when
-- they began.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER;
