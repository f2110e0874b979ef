//! Sign-ups waiting for their mailed link (see the shared source).

include!("../../store-sql/signups.rs");
