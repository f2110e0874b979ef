// Stored positions of the change feed's site-wide subscribers, shared by both
// backends. A position never moves backwards: a node that took in less than
// another cannot undo its progress.

use crate::{Backend, db_error};
use ponder_store::StoreResult;

#[async_trait::async_trait]
impl ponder_store::FeedStore for Backend {
    async fn feed_position(&self, subscriber: &str) -> StoreResult<i64> {
        self.count();
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT position FROM feed_positions WHERE subscriber = $1")
                .bind(subscriber)
                .fetch_optional(&self.writer)
                .await
                .map_err(db_error)?;
        Ok(found.map_or(0, |(position,)| position))
    }

    async fn set_feed_position(&self, subscriber: &str, position: i64, at: i64) -> StoreResult<()> {
        self.count();
        sqlx::query(concat!(
            "INSERT INTO feed_positions (subscriber, position, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (subscriber) DO UPDATE SET position = ",
            greatest!(),
            "(feed_positions.position, excluded.position), updated_at = excluded.updated_at"
        ))
        .bind(subscriber)
        .bind(position)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(())
    }
}
