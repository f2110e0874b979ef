//! Links between posts and the lookups rendering needs (see the shared source).

include!("../../store-sql/links.rs");
