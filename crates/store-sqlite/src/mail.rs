//! Mail choices, the outbox, digests and unsubscribing (see the shared source).

include!("../../store-sql/mail.rs");
