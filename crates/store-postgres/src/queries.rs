//! The reads: a fixed set of statements per page (see the shared source).

include!("../../store-sql/queries.rs");
