// Stored positions of the change feed's site-wide subscribers, shared by both
// backends. A position never moves backwards: a node that took in less than
// another cannot undo its progress.

use crate::writes::Tx;
use crate::{Backend, db_error};
use ponder_store::StoreResult;

impl Backend {
    /// Moves `subscriber`'s stored position from `after` to `last` within `tx`;
    /// `false` when it was not `after` (another node took this batch). Moving it
    /// first holds the position's row until the commit: a node that tries the same
    /// batch meanwhile waits, then finds the position moved.
    pub(crate) async fn move_feed_position(
        &self,
        tx: &mut Tx<'static>,
        subscriber: &str,
        after: i64,
        last: i64,
        at: i64,
    ) -> StoreResult<bool> {
        self.count();
        sqlx::query(
            "INSERT INTO feed_positions (subscriber, position, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (subscriber) DO NOTHING",
        )
        .bind(subscriber)
        .bind(after)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        self.count();
        let moved = sqlx::query(
            "UPDATE feed_positions SET position = $3, updated_at = $4 \
             WHERE subscriber = $1 AND position = $2",
        )
        .bind(subscriber)
        .bind(after)
        .bind(last)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(moved.rows_affected() > 0)
    }
}

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
