//! The change feed: every write appends to the change log in its own transaction
//! (`ponder_core::changes`), and this crate hands the log to each [`Subscriber`]
//! (the search index, the page cache, the inbox and its mail, webhooks, and the
//! federation to come) at its own pace, on one node or many, without a broker.
//!
//! Each subscriber keeps its own position, the id of the last change it took in,
//! where it keeps it (the search index in its commits, the page cache in memory);
//! the [`Follower`] reads what each has not seen and hands it over. A subscriber
//! that fails is retried later, with a growing pause, and holds back nobody else.
//!
//! Work that must happen once per site (mail, webhooks, deliveries to other
//! servers) runs on one node at a time: such a subscriber holds the store's lease
//! for it (`Store::lead`: a PostgreSQL advisory lock; on SQLite the one process)
//! and keeps its position in the database (`Store::feed_position`,
//! `Store::set_feed_position`), so that the node that takes over goes on from
//! where the last one stopped.
//!
//! - [`reach`]: what a batch of changes touches, gathered.
//! - [`follower`]: the subscribers and the follower that feeds them.
//! - [`leased`]: the stored position and lease of work done on one node at a time.
//! - [`inbox`]: the subscriber that writes members' inbox items, on one node.
//! - [`webhooks`]: the subscriber that queues webhook deliveries, on one node.

pub mod follower;
pub mod inbox;
pub mod leased;
pub mod reach;
pub mod webhooks;

pub use follower::{Follower, Subscriber, SubscriberError};
pub use inbox::InboxSubscriber;
pub use reach::Gathered;
pub use webhooks::WebhookSubscriber;
