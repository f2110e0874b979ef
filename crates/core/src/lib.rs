//! Ponder's domain: the types and rules every other crate shares, with no I/O.
//!
//! - [`accounts`]: what handles, names, emails and passwords may be.
//! - [`api_tokens`]: personal access tokens: their scopes, names and lifetimes.
//! - [`mail_allowance`]: how often a link may be mailed to one account.
//! - [`notices`]: the kinds of inbox item, what members follow, and mentions.
//! - [`posts`]: what titles, bodies, tags and comments may be.
//! - [`categories`]: what a category's name, address and description may be.
//! - [`diff`]: word-level differences between revisions.
//! - [`changes`]: the kinds of change-log entry and what each touches.
//! - [`badges`]: the badges and what earns each.
//! - [`reputation`]: points per event and the reputation each privilege needs.
//! - [`rules`]: roles, privileges and the checks of who may do what.
//! - [`settings`]: the site settings, their checks, defaults and the values in force.
//! - [`refusal`]: why a write was refused, with a stable code and a sentence.
//! - [`ids`]: typed ids, so that a user id is never passed where a post id belongs.
//! - [`markdown`]: Markdown to sanitized HTML, and plain-text excerpts.
//! - [`slug`]: URL slugs from titles and names.
//! - [`tags`]: what a tag name, description and wiki may be.
//! - [`identicon`]: the SVG avatar every user has until they upload one.
//! - [`paging`]: page numbers and sort orders parsed from user input.
//! - [`text`]: pluralised counts and relative times for display.
//! - [`time`]: UTC timestamps (seconds since the Unix epoch) and their calendar form.
//! - [`webhooks`]: webhook events, their HMAC-SHA256 signature, and which addresses
//!   deliveries may reach.

pub mod accounts;
pub mod api_tokens;
pub mod badges;
pub mod categories;
pub mod changes;
pub mod diff;
pub mod identicon;
pub mod ids;
pub mod input;
pub mod mail_allowance;
pub mod markdown;
pub mod notices;
pub mod paging;
pub mod posts;
pub mod refusal;
pub mod reputation;
pub mod rules;
pub mod settings;
pub mod slug;
pub mod tags;
pub mod text;
pub mod time;
pub mod webhooks;

pub use ids::{CategoryId, CommentId, PostId, TagId, UserId};
