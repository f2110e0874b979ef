//! [`FeedStore`]: the stored positions of the change feed's site-wide subscribers.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;

/// The stored positions of the change feed's site-wide subscribers.
#[async_trait]
pub trait FeedStore: Send + Sync {
    /// Where the feed's site-wide subscriber `subscriber` stands: the id of the
    /// last change it took in (0 before its first).
    async fn feed_position(&self, subscriber: &str) -> StoreResult<i64>;

    /// Moves `subscriber`'s stored position on to `position` (never back).
    async fn set_feed_position(
        &self,
        subscriber: &str,
        position: i64,
        at: Timestamp,
    ) -> StoreResult<()>;
}
