-- Location and website are every member's profile fields, not only an imported
-- account's: they move to `users`, where members edit them in their settings.
-- An import's values move with them; `imported_profiles` keeps what only a dump
-- has (views, vote counts, picture, network account), and its two old columns
-- are no longer written.
ALTER TABLE users ADD COLUMN location TEXT;
ALTER TABLE users ADD COLUMN website_url TEXT;

UPDATE users SET
    location = (SELECT p.location FROM imported_profiles p WHERE p.user_id = users.id),
    website_url = (SELECT p.website_url FROM imported_profiles p WHERE p.user_id = users.id)
WHERE id IN (SELECT user_id FROM imported_profiles);
