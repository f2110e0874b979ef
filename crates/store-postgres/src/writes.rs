//! The write transactions (see the shared source).

include!("../../store-sql/writes.rs");
