-- Attempts counted site-wide (log-ins, sign-ups), so that their limits hold
-- however many nodes a client's requests reach: one row per limit, key (an
-- address, an account) and minute or hour window.
CREATE TABLE attempt_counts (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (scope, key, window_start)
);
CREATE INDEX attempt_counts_window_idx ON attempt_counts (window_start);
