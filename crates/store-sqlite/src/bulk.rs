//! Bulk loading (see the shared source).

include!("../../store-sql/bulk.rs");
