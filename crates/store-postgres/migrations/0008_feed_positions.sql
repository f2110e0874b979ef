-- Where each site-wide subscriber of the change feed stands (mail, webhooks and
-- federation delivery, which run on one node at a time): the id of the last
-- change it took in. Node-local subscribers (the search index, the page cache)
-- keep their positions themselves.
CREATE TABLE feed_positions (
    subscriber TEXT PRIMARY KEY,
    position   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
