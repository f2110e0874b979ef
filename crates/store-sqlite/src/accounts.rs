//! Log-in records, sessions, profiles, mailed tokens and avatars (see the shared source).

include!("../../store-sql/accounts.rs");
