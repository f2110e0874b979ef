//! Leading: on SQLite the site is one process (the one writer a file allows), so
//! that process always leads.

use crate::SqliteStore;
use ponder_store::{Lease, StoreResult};

impl SqliteStore {
    pub(crate) async fn lead_impl(&self, _work: &str) -> StoreResult<Option<Lease>> {
        Ok(Some(Lease::new(())))
    }
}
