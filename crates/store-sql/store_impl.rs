// The Store trait for a backend: what is not an area's (each area trait is
// implemented in the shared file of its area). Included by each backend crate; see
// README.md.

use crate::{BACKEND_NAME, Backend, db_error};
use async_trait::async_trait;
use ponder_store::StoreResult;
use std::sync::atomic::Ordering;

#[async_trait]
impl ponder_store::Store for Backend {
    fn backend(&self) -> &'static str {
        BACKEND_NAME
    }

    fn queries_executed(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    async fn ping(&self) -> StoreResult<()> {
        self.count();
        sqlx::query("SELECT 1")
            .execute(&self.readers)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn figures(&self) -> StoreResult<ponder_store::StoreFigures> {
        self.count();
        let asked = std::time::Instant::now();
        let mut conn = self.readers.acquire().await.map_err(db_error)?;
        let connection_wait = asked.elapsed();
        let (mail_waiting, webhooks_waiting, last_change): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL), \
             (SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL), \
             (SELECT coalesce(max(id), 0) FROM changes)",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error)?;
        drop(conn);
        let (connections_open, connections_idle, connections_max) = self.connections();
        Ok(ponder_store::StoreFigures {
            connections_open,
            connections_idle,
            connections_max,
            connection_wait,
            mail_waiting,
            webhooks_waiting,
            last_change,
        })
    }

    async fn lead(&self, work: &str) -> StoreResult<Option<ponder_store::Lease>> {
        self.lead_impl(work).await
    }
}
