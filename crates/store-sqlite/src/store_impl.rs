//! The `Store` trait, delegating to the shared reads and writes.

include!("../../store-sql/store_impl.rs");
