-- Profile fields a dump has and the site's own accounts do not: kept for the
-- imported account (location and website shown on the profile) and exported.
-- A site whose migration 24 already made the table keeps it.
CREATE TABLE IF NOT EXISTS imported_profiles (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id),
    location      TEXT,
    website_url   TEXT,
    views         INTEGER,
    up_votes      INTEGER,
    down_votes    INTEGER,
    profile_image TEXT,
    account_id    INTEGER
);
