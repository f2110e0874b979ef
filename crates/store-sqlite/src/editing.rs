//! Editing, deleting and the revision history (see the shared source).

include!("../../store-sql/editing.rs");
