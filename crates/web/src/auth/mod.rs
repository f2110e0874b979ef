//! Accounts on the web: password hashing, random tokens, cookies, the per-request
//! context (who is logged in, the CSRF token), rate limits and outgoing mail. Who
//! may do what is `ponder_core::rules`.

pub mod context;
pub mod cookies;
pub mod device;
pub mod limits;
pub mod mail;
pub mod password;
pub mod tokens;

pub use context::{Ctx, RequestContext};
