//! [`BulkStore`]: bulk loads (imports, generators) and exports.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;

/// Bulk loads (imports, generators) and exports.
#[async_trait]
pub trait BulkStore: Send + Sync {
    /// The id of the newest change of `kind` after change `after` (0 when there is
    /// none): whether a bulk load happened since the search index was built, say.
    /// Reads only the changes after `after`.
    async fn last_change_of(
        &self,
        kind: ponder_core::changes::ChangeKind,
        after: i64,
    ) -> StoreResult<i64>;

    /// Loads rows with the ids and counters they carry, in one transaction, for
    /// generators and importers: no revisions, reputation events or per-row change
    /// log entries are written (one `bulk.loaded` change marks the batch; rebuild
    /// the search index afterwards). Tags are created as needed and counted. Rows
    /// whose id is taken are skipped, so a batch loaded twice adds nothing.
    async fn bulk_load(&self, batch: BulkBatch) -> StoreResult<BulkLoaded>;

    /// Counts answers, comments and tag uses afresh from the rows, after bulk loads
    /// whose counters may not add up (an import that skipped rows, say); the
    /// question lists' totals follow through their triggers.
    async fn recount(&self) -> StoreResult<()>;

    /// Drops the secondary indexes of posts and comments for a long bulk load, keeping
    /// their definitions with the import record of `source` (which must exist), so
    /// that [`Store::restore_indexes`] makes them again, even after a crash.
    async fn suspend_indexes(&self, source: &str) -> StoreResult<()>;

    /// Makes again the indexes [`Store::suspend_indexes`] dropped for `source`.
    async fn restore_indexes(&self, source: &str) -> StoreResult<()>;

    /// Brings the planner's statistics up to date for the tables that hold rows, at
    /// the end of a bulk load. PostgreSQL plans without them until autovacuum gets
    /// there (a question page's links scanned every post); SQLite's plans need none.
    async fn update_statistics(&self) -> StoreResult<()>;

    /// How many users and posts the site has (to refuse imports into a site whose
    /// ids they would collide with).
    async fn content_counts(&self) -> StoreResult<(i64, i64)>;

    /// The record of imports from `source`, if there was one.
    async fn import_run(&self, source: &str) -> StoreResult<Option<ImportRun>>;

    /// Records that an import from `source` started (once) or finished (`finished`).
    async fn record_import(&self, source: &str, finished: bool, at: Timestamp) -> StoreResult<()>;

    /// `user`'s profile fields as an export writes them: location and website,
    /// and what an import kept beyond them.
    async fn imported_profile(
        &self,
        user: ponder_core::UserId,
    ) -> StoreResult<Option<ImportedProfile>>;

    /// Up to `limit` users after id `after`, in id order, deleted ones too.
    async fn export_users(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkUser>>;

    /// Up to `limit` posts after id `after`, in id order, with their tags, accepted
    /// answers and duplicate links (three statements a page).
    async fn export_posts(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkPost>>;

    /// Up to `limit` comments after id `after`, in id order.
    async fn export_comments(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkComment>>;

    /// Up to `limit` tags after id `after`, in id order.
    async fn export_tags(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkTag>>;

    /// Up to `limit` votes on posts after id `after`, in id order.
    async fn export_votes(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkVote>>;

    /// The revisions of the posts with ids from `first` to `last`, by post and then
    /// oldest first, every field set.
    async fn export_revisions(&self, first: i64, last: i64) -> StoreResult<Vec<BulkRevision>>;

    /// What an export numbering history rows must stay clear of.
    async fn revision_ids(&self) -> StoreResult<RevisionIds>;

    /// The questions the posts with ids from `first` to `last` link to, by post
    /// and then question.
    async fn export_linked(
        &self,
        first: i64,
        last: i64,
    ) -> StoreResult<Vec<(ponder_core::PostId, ponder_core::PostId)>>;

    /// Up to `limit` badges after id `after`, in id order.
    async fn export_badges(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkBadge>>;
}
