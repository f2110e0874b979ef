-- The milliseconds of an imported row's times. The site keeps times in whole
-- seconds; a dump gives milliseconds, which come back on export. Each time of
-- the row has ten bits of this number, in an order the importer defines per
-- kind of row (posts: created, last activity, last edit, closed,
-- community-owned, deleted); NULL for the site's own rows and where every
-- fraction is zero.
ALTER TABLE posts ADD COLUMN time_millis BIGINT;
ALTER TABLE users ADD COLUMN time_millis BIGINT;
ALTER TABLE comments ADD COLUMN time_millis BIGINT;
ALTER TABLE revisions ADD COLUMN time_millis BIGINT;
ALTER TABLE badges ADD COLUMN time_millis BIGINT;
