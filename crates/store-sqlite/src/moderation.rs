//! Moderation (see the shared source).

include!("../../store-sql/moderation.rs");
