//! Moderation on the web, one module a concern: [`flags`] (raising them and their
//! verdicts, restoring what they hid), [`closing`] (votes to close and reopen),
//! [`locks`] (locking, protecting, restoring a post), [`suspensions`], the
//! [`review`] queue and the moderation [`log`]. The handlers parse and redirect;
//! the rules and the log entries are the actions' ([`crate::actions::moderation`]).
//!
//! Moderators act at once; users with the reputation for it flag and vote to close.
//! Nothing here removes content: hiding is a soft delete that can be reversed.

pub mod closing;
pub mod flags;
pub mod locks;
pub mod log;
pub mod review;
pub mod suspensions;

pub use closing::{close, reopen};
pub use flags::{flag_comment, flag_post, flags_page, resolve_flag, restore_comment};
pub use locks::post_action;
pub use log::log_page;
pub use review::{review_action, review_page};
pub use suspensions::suspension;

use serde::Deserialize;

/// A form with a token, an optional reason and, for a suspension, its days.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    csrf: String,
    reason: String,
    days: String,
}

crate::extract::has_csrf!(ReasonForm);
