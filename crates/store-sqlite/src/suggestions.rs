//! Suggested edits (see the shared source).

include!("../../store-sql/suggestions.rs");
