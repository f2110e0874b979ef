//! Tag wikis, renames, merges and synonyms (see the shared source).

include!("../../store-sql/tags.rs");
