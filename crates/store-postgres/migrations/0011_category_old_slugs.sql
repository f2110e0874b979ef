-- The addresses categories had before a rename, a move or a merge: the parent
-- and slug of each old address segment, and the category it leads to now, so
-- that old links answer 301 to the new address.
CREATE TABLE category_old_slugs (
    parent_key  BIGINT NOT NULL,
    slug        TEXT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (parent_key, slug)
);
