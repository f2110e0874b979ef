//! Webhooks and their deliveries (see the shared source).

include!("../../store-sql/webhooks.rs");
