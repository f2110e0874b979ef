-- Site settings administrators set at /admin/settings or with `ponder settings set`,
-- as text by key; a key absent here takes its value from the flags at start or the
-- built-in default.
CREATE TABLE site_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
