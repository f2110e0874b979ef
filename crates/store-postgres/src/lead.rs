//! Leading: work that must run on one node at a time (mail, webhooks, deliveries
//! to other servers) holds a session advisory lock named after it, on a
//! connection of its own taken out of the pool. The lease keeps that connection;
//! dropping it closes the connection, and the server releases the lock, also when
//! the node dies.

use crate::{PgStore, db_error};
use ponder_store::{Lease, StoreResult};

impl PgStore {
    pub(crate) async fn lead_impl(&self, work: &str) -> StoreResult<Option<Lease>> {
        let mut connection = self.writer.acquire().await.map_err(db_error)?;
        self.count();
        let (held,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(format!("ponder lead: {work}"))
            .fetch_one(&mut *connection)
            .await
            .map_err(db_error)?;
        // Out of the pool either way: a connection that holds the lock must not
        // serve others, and one that does not is simply closed.
        let connection = connection.detach();
        Ok(held.then(|| Lease::new(connection)))
    }
}
