//! A question's page read in one statement (see the shared source).

include!("../../store-sql/thread.rs");
