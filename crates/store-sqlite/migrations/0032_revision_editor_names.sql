-- The name a dump gives a revision's editor whose account it lacks (its
-- UserDisplayName): shown on the post's revisions instead of the placeholder's
-- name, and exported. NULL for the site's own revisions and editors the dump has.
ALTER TABLE revisions ADD COLUMN editor_name TEXT;
