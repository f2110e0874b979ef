-- The licence an imported post, comment or revision came under on the site it
-- was imported from (a dump's ContentLicense: "CC BY-SA 3.0"), kept with it and
-- exported; NULL for the site's own and for rows imported before this column.
ALTER TABLE posts ADD COLUMN licence TEXT;
ALTER TABLE comments ADD COLUMN licence TEXT;
ALTER TABLE revisions ADD COLUMN licence TEXT;
