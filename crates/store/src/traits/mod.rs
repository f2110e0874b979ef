//! The store's traits, one an area; [`crate::Store`] is their sum.

mod accounts;
mod bulk;
mod categories;
mod editing;
mod feed;
mod invitations;
mod mail;
mod moderation;
mod notices;
mod reads;
mod rendered;
mod settings;
mod signups;
mod suggestions;
mod tags;
mod tokens;
mod votes;
mod writes;

pub use accounts::AccountStore;
pub use bulk::BulkStore;
pub use categories::CategoryStore;
pub use editing::EditStore;
pub use feed::FeedStore;
pub use invitations::InvitationStore;
pub use mail::{MailStore, UNSUBSCRIBE_WORKS_FOR};
pub use moderation::ModerationStore;
pub use notices::NoticeStore;
pub use reads::ReadStore;
pub use rendered::RenderedTextStore;
pub use settings::SettingsStore;
pub use signups::SignupStore;
pub use suggestions::SuggestionStore;
pub use tags::TagStore;
pub use tokens::TokenStore;
pub use votes::VoteStore;
pub use writes::WriteStore;
