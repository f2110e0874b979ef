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

    async fn lead(&self, work: &str) -> StoreResult<Option<ponder_store::Lease>> {
        self.lead_impl(work).await
    }
}
