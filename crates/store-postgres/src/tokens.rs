//! Personal access tokens (see the shared source).

include!("../../store-sql/tokens.rs");
