//! Accounts on the web: password hashing, random tokens, cookies, the per-request
//! context (who is logged in, the CSRF token), rate limits and outgoing mail.

pub mod context;
pub mod cookies;
pub mod device;
pub mod limits;
pub mod mail;
pub mod password;
pub mod permissions;
pub mod tokens;

pub use context::{Ctx, RequestContext};
