//! Stored Markdown rendered again (see the shared source).

include!("../../store-sql/rendered.rs");
