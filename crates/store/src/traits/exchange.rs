//! The reads of the Stack Exchange-shaped API: lists by sets of ids, with the
//! orders, bounds and dates its methods take, each one statement for the rows and
//! one for the total, however many ids are asked for.

use crate::{Comment, ListQuery, ListedPost, Page, SiteTotals, StoreResult, Tag, User};
use async_trait::async_trait;
use ponder_core::UserId;
use ponder_core::time::Timestamp;

/// Lists for the Stack Exchange-shaped API.
#[async_trait]
pub trait ExchangeStore: Send + Sync {
    /// A page of live posts of `query.kind` (deleted posts and answers of deleted
    /// questions left out), with their questions' ids and tags.
    async fn list_posts(&self, query: &ListQuery) -> StoreResult<Page<ListedPost>>;

    /// A page of live comments (`query.kind` and `tagged` are not used; `Parents`
    /// are the posts commented on; the activity order is creation).
    async fn list_comments(&self, query: &ListQuery) -> StoreResult<Page<Comment>>;

    /// The users with these ids, deleted ones too, in id order.
    async fn users_by_ids(&self, ids: &[UserId]) -> StoreResult<Vec<User>>;

    /// The tags with these names (exact, lowercase), in the order given.
    async fn tags_by_names(&self, names: &[String]) -> StoreResult<Vec<Tag>>;

    /// How many times each badge was awarded, by badge name.
    async fn badge_awards(&self) -> StoreResult<Vec<(String, i64)>>;

    /// How many badges of each class (`bronze`, `silver`, `gold`) these users hold.
    async fn badge_counts(&self, users: &[UserId]) -> StoreResult<Vec<(UserId, String, i64)>>;

    /// The site's totals; "the last day" is the day before `now`.
    async fn site_totals(&self, now: Timestamp) -> StoreResult<SiteTotals>;
}
