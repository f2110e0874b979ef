//! Ponder's [`Store`] on SQLite, for a site on one machine with zero set-up.
//!
//! SQLite allows one writer at a time, so the store keeps two pools: one connection
//! for writes (every write transaction queues there instead of failing with
//! `SQLITE_BUSY`) and a few read-only connections that WAL mode lets read while
//! the writer writes. Because there is one writer, the change log's ids are in
//! commit order and a follower can simply read past the last id it saw.
//!
//! - [`migrations`]: the embedded schema and the runner that applies it.
//! - [`backup`]: consistent copies of a serving site, and restoring one.
//! - `dialect`: what the shared SQL needs of this backend (macros, names, row
//!   access, error mapping), in one file.
//! - `lead`: leasing work that must run on one node at a time.
//! - `accounts`, `bulk`, `editing`, `feed`, `moderation`, `queries`, `rendered`,
//!   `reputation`, `signups`, `store_impl`, `suggestions`, `writes`: the SQL both
//!   backends share, included from `crates/store-sql/` and compiled here against
//!   SQLite.

#[macro_use]
mod dialect;

pub(crate) use dialect::*;

mod accounts;
pub mod backup;
mod bulk;
mod categories;
mod editing;
mod exchange;
mod feed;
mod invitations;
mod lead;
mod links;
mod mail;
mod migrations;
mod moderation;
mod notices;
mod queries;
mod rendered;
mod reputation;
mod settings;
mod signups;
mod store_impl;
mod suggestions;
mod tags;
mod thread;
mod tokens;
mod uploads;
mod webhooks;
mod writes;

#[cfg(feature = "testing")]
pub mod testing;

use ponder_store::StoreResult;
use sqlx::ConnectOptions as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Read connections kept open; SQLite reads scale with cores, and this machine class has few.
const READERS: u32 = 4;

/// The writer's page cache (negative: KiB). Small like the readers': with 16 MB the
/// write mix ran no faster (1,104 writes/s either way) and held 12 MB more.
const WRITER_CACHE: &str = "-4000";

/// Each reader's page cache (KiB). Small: the operating system's file cache keeps the
/// database's hot pages once for all connections, where each connection's own cache
/// would hold them again per connection.
const READER_CACHE: &str = "-4000";

/// How a store writes its database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    /// A write-ahead log, synced at checkpoints: readers never wait for the writer,
    /// and a power cut loses at most the last transactions. What a site runs on.
    #[default]
    Shared,
    /// For one bulk loader with the file to itself (an import into a new site): a
    /// rollback journal, which writes appended pages once where the log writes them
    /// twice (into the log, then into the file), and no waiting for the disk. A
    /// stopped load rolls back to its last committed batch when the file is next
    /// opened; a power cut during the load may leave the file damaged. The next
    /// store opened in [`WriteMode::Shared`] turns the log back on.
    BulkLoad,
}

/// The SQLite store.
pub struct SqliteStore {
    writer: SqlitePool,
    readers: SqlitePool,
    queries: Arc<AtomicU64>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and brings its schema
    /// up to date.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with(path, WriteMode::Shared).await
    }

    /// Opens the database file at `path` as [`SqliteStore::open`] does, writing it in
    /// `mode`. Turning the log off needs the file to itself: with another process
    /// reading it, this fails as busy.
    pub async fn open_with(path: &Path, mode: WriteMode) -> StoreResult<Self> {
        let (journal, synchronous) = match mode {
            WriteMode::Shared => (SqliteJournalMode::Wal, SqliteSynchronous::Normal),
            WriteMode::BulkLoad => (SqliteJournalMode::Delete, SqliteSynchronous::Off),
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(journal)
            .synchronous(synchronous)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory");
        // A bulk load's index builds and recounts are slow by nature: not worth a
        // warning each.
        let options = match mode {
            WriteMode::Shared => options,
            WriteMode::BulkLoad => options.disable_statement_logging(),
        };
        // A connection in the same process cannot have gone away: the ping sqlx sends
        // before handing out an idle one is a round trip to its thread for nothing.
        let writer = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .min_connections(1)
            .connect_with(options.clone().pragma("cache_size", WRITER_CACHE))
            .await
            .map_err(db_error)?;
        migrations::run(&writer).await?;
        let readers = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(READERS)
            .connect_with(options.read_only(true).pragma("cache_size", READER_CACHE))
            .await
            .map_err(db_error)?;
        Ok(Self {
            writer,
            readers,
            queries: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Closes every connection, waiting for them to finish what they are doing.
    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }

    /// Connections open, idle, and the most there may be: the writer's and the
    /// readers'.
    fn connections(&self) -> (u32, u32, u32) {
        let open = self.writer.size() + self.readers.size();
        let idle =
            u32::try_from(self.writer.num_idle() + self.readers.num_idle()).unwrap_or(u32::MAX);
        let most = self.writer.options().get_max_connections()
            + self.readers.options().get_max_connections();
        (open, idle, most)
    }

    /// Counts one statement about to run (see `Store::queries_executed`).
    fn count(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// Nothing to do after a bulk load: SQLite's rowids continue after the largest,
    /// and its plans need no statistics.
    async fn after_bulk_load(&self, _loaded: &ponder_store::BulkLoaded) -> StoreResult<()> {
        Ok(())
    }

    /// Nothing to analyse: SQLite's plans here do not need statistics.
    async fn analyze_filled_tables(&self) -> StoreResult<()> {
        Ok(())
    }

    /// A read transaction that sees one state of the database.
    async fn begin_snapshot(&self) -> StoreResult<sqlx::Transaction<'static, Db>> {
        self.readers.begin().await.map_err(db_error)
    }
}

#[cfg(test)]
mod tests {
    use sqlx::{ConnectOptions as _, Connection as _};

    /// `.cargo/config.toml` builds the bundled SQLite with plans that do not depend on
    /// bound values and without a global memory count: without the first, every
    /// statement with `LIMIT $n` is compiled again on each run.
    #[tokio::test]
    async fn the_bundled_sqlite_keeps_plans_and_counts_no_memory() {
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(":memory:")
            .connect()
            .await
            .unwrap();
        let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
            assert!(
                options.iter().any(|o| o == wanted),
                "{wanted} not in {options:?}"
            );
        }
        conn.close().await.unwrap();
    }
}
