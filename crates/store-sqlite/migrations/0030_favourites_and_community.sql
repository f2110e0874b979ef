-- Two counts a dump gives a post that the site does not derive: how many
-- members had it among their favourites (a dump's FavoriteCount, which the
-- favourite votes do not always give back: one removed leaves a count of 0), and
-- when it became community-owned (CommunityOwnedDate). Kept for imported posts
-- and exported; NULL for the site's own and for posts imported before.
ALTER TABLE posts ADD COLUMN favorite_count BIGINT;
ALTER TABLE posts ADD COLUMN community_owned_at BIGINT;
