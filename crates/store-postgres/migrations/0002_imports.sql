-- Imports from other sites (a Stack Exchange data dump, say), by source name: an
-- import may only add to a site that is empty or holds what earlier runs of the same
-- import left, so that kept ids cannot collide with the site's own.
CREATE TABLE imports (
    source      TEXT PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    -- The definitions of the indexes an import dropped while it loads, to be made
    -- again when it ends (or by the next run, if it stopped).
    suspended_indexes TEXT
);
