//! Changes to the category tree (see the shared source).

include!("../../store-sql/categories.rs");
