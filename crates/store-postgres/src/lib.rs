//! Ponder's [`Store`] on PostgreSQL, for a site that outgrows one machine: many
//! stateless `ponder serve` nodes share one database.
//!
//! Writes that read before they write lock the row they read (`FOR UPDATE`), so
//! concurrent votes on one post queue instead of losing updates. The change log
//! records each writing transaction's id, and followers read only changes whose
//! transaction is older than every transaction still running: ids from a sequence
//! become visible in commit order, not id order, and this way a late commit with a
//! lower id is never skipped.
//!
//! - [`migrations`]: the embedded schema and the runner that applies it.
//! - `queries`, `writes`, `accounts`, `store_impl`: the SQL both backends share,
//!   included from `crates/store/sql/` and compiled here against PostgreSQL.

/// The two-argument maximum.
macro_rules! greatest {
    () => {
        "GREATEST"
    };
}
/// A read-then-write locks the row it read, so concurrent writers queue on it. The
/// lock is the one an update of non-key columns takes: it does not block another
/// transaction's foreign-key check on the row (an accept's reputation entry naming
/// an answer that is being deleted), which `FOR UPDATE` would, into a deadlock.
macro_rules! for_update {
    () => {
        " FOR NO KEY UPDATE"
    };
}
/// Only changes whose transaction is older than every one still running: a
/// sequence's ids commit out of order, and this keeps a follower from skipping one.
macro_rules! changes_visible {
    () => {
        " AND txid < pg_snapshot_xmin(pg_current_snapshot())"
    };
}
/// The ids bound as `$1`, an array.
macro_rules! id_list {
    () => {
        "SELECT unnest(CAST($1 AS BIGINT[]))"
    };
}

/// Serialises the transactions that lock the text bound as `$1`, until they end.
macro_rules! lock_text {
    () => {
        "SELECT pg_advisory_xact_lock(hashtext($1))"
    };
}

mod accounts;
mod bulk;
mod editing;
mod feed;
mod lead;
mod migrations;
mod moderation;
mod queries;
mod rendered;
mod reputation;
mod signups;
mod store_impl;
mod suggestions;
mod writes;

#[cfg(feature = "testing")]
pub mod testing;

use ponder_store::rows::RowAccess;
use ponder_store::{StoreError, StoreResult};
use sqlx::ConnectOptions as _;
use sqlx::Row as _;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The PostgreSQL store.
pub struct PgStore {
    /// The pool reads use (the shared code's name; the same pool as `writer`).
    readers: PgPool,
    /// The pool writes use.
    writer: PgPool,
    queries: Arc<AtomicU64>,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://...`) and brings its schema up
    /// to date. `max_connections` bounds this node's share of the server.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url).map_err(db_error)?;
        Self::connect_with(options, max_connections).await
    }

    /// Connects as [`PgStore::connect`] does, for one bulk loader (an import): its
    /// commits do not wait for the server's disk (`synchronous_commit` off, for
    /// these connections only: a crash may lose the last batches, which the import
    /// adds again when run again, and never damages the database), and its slow
    /// statements (index builds, recounts, slow by nature) are not logged.
    pub async fn connect_for_bulk_load(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(db_error)?
            .options([("synchronous_commit", "off")])
            .disable_statement_logging();
        Self::connect_with(options, max_connections).await
    }

    async fn connect_with(options: PgConnectOptions, max_connections: u32) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(db_error)?;
        migrations::run(&pool).await?;
        Ok(Self {
            readers: pool.clone(),
            writer: pool,
            queries: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Counts one statement about to run (see `Store::queries_executed`).
    fn count(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// Moves the identity sequences past the ids a bulk load brought, so that rows
    /// written afterwards do not collide with them.
    async fn after_bulk_load(&self) -> StoreResult<()> {
        for table in ["users", "posts", "comments", "tags", "badges"] {
            self.count();
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT coalesce(max(id), 0) FROM {table}), 1))"
            );
            // The table names are constants above; nothing from outside reaches this string.
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&self.writer)
                .await
                .map_err(db_error)?;
        }
        Ok(())
    }

    /// A repeatable-read, read-only transaction: one state of the database.
    async fn begin_snapshot(&self) -> StoreResult<sqlx::Transaction<'static, Db>> {
        let mut tx = self.readers.begin().await.map_err(db_error)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        Ok(tx)
    }

    /// Closes the pool's connections (tests do, before dropping their database).
    pub async fn close(&self) {
        self.writer.close().await;
    }
}

/// What the shared code attaches to.
type Backend = PgStore;
/// The name `Store::backend` reports.
const BACKEND_NAME: &str = "postgres";
/// The non-unique indexes of posts and comments, which bulk loads may drop and make
/// again: name and definition.
const LOAD_INDEXES: &str = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
     AND tablename IN ('posts', 'comments') AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname";
type Db = sqlx::Postgres;
type DbArgs = sqlx::postgres::PgArguments;
type DbConnection = sqlx::PgConnection;

/// Binds a list of ids as the array `id_list!()` reads.
fn bind_ids<'q, O>(
    query: sqlx::query::QueryAs<'q, Db, O, DbArgs>,
    ids: Vec<i64>,
) -> sqlx::query::QueryAs<'q, Db, O, DbArgs> {
    query.bind(ids)
}

/// Maps a sqlx error onto the store's error, turning unique violations into
/// [`StoreError::Conflict`] with the constraint's name.
pub(crate) fn db_error(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        let constraint = db.constraint().unwrap_or("unknown").to_owned();
        return StoreError::Conflict { constraint };
    }
    // Deadlock detected, serialization failure: the engine gave up on this
    // transaction for another's sake; nothing of it was written.
    if let sqlx::Error::Database(db) = &err
        && matches!(db.code().as_deref(), Some("40P01" | "40001"))
    {
        return StoreError::Contention(Box::new(err));
    }
    StoreError::Database(Box::new(err))
}

/// Positional access to PostgreSQL rows for the shared row mapping.
pub(crate) struct Cols<'a>(pub &'a PgRow);

impl RowAccess for Cols<'_> {
    fn int(&self, idx: usize) -> StoreResult<i64> {
        self.0.try_get(idx).map_err(db_error)
    }
    fn opt_int(&self, idx: usize) -> StoreResult<Option<i64>> {
        self.0.try_get(idx).map_err(db_error)
    }
    fn text(&self, idx: usize) -> StoreResult<String> {
        self.0.try_get(idx).map_err(db_error)
    }
    fn opt_text(&self, idx: usize) -> StoreResult<Option<String>> {
        self.0.try_get(idx).map_err(db_error)
    }
}
