//! Stored positions of the change feed's site-wide subscribers (see the shared source).

include!("../../store-sql/feed.rs");
