//! Rows the store returns and inputs it takes, one module an area. Rows are plain
//! data; inputs that carry post text hold it as a [`PostBody`], whose HTML can only
//! come from the Markdown renderer, so no caller can store unsanitized HTML by
//! mistake.

pub mod accounts;
pub mod bulk;
pub mod editing;
pub mod exchange;
pub mod feed;
pub mod invitations;
pub mod mail;
pub mod moderation;
pub mod notices;
pub mod posts;
pub mod settings;
pub mod tags;
pub mod tokens;
pub mod votes;
pub mod webhooks;

pub use accounts::*;
pub use bulk::*;
pub use editing::*;
pub use exchange::*;
pub use feed::*;
pub use invitations::*;
pub use mail::*;
pub use moderation::*;
pub use notices::*;
pub use posts::*;
pub use settings::*;
pub use tags::*;
pub use tokens::*;
pub use votes::*;
pub use webhooks::*;

pub use ponder_core::rules::Role;
