-- The ids of the dump's history rows that made an imported revision: its title,
-- body and tags rows (NULL for a field the revision did not set). Exports give
-- each row back its id, in the dump's order. NULL for the site's own revisions
-- and for revisions imported before these columns (exported as before: rows
-- after the first numbered anew).
ALTER TABLE revisions ADD COLUMN dump_title_row BIGINT;
ALTER TABLE revisions ADD COLUMN dump_body_row BIGINT;
ALTER TABLE revisions ADD COLUMN dump_tags_row BIGINT;
