//! Ponder's [`Store`] on PostgreSQL, for a site that outgrows one machine: many
//! stateless `ponder serve` nodes share one database.
//!
//! Writes that read before they write lock the row they read (`FOR NO KEY UPDATE`), so
//! concurrent votes on one post queue instead of losing updates. The change log
//! records each writing transaction's id, and followers read only changes whose
//! transaction is older than every transaction still running: ids from a sequence
//! become visible in commit order, not id order, and this way a late commit with a
//! lower id is never skipped.
//!
//! - [`migrations`]: the embedded schema and the runner that applies it.
//! - `dialect`: what the shared SQL needs of this backend (macros, names, row
//!   access, error mapping), in one file.
//! - `lead`: leasing work that must run on one node at a time.
//! - `accounts`, `bulk`, `editing`, `feed`, `moderation`, `queries`, `rendered`,
//!   `reputation`, `signups`, `store_impl`, `suggestions`, `writes`: the SQL both
//!   backends share, included from `crates/store-sql/` and compiled here against
//!   PostgreSQL.

#[macro_use]
mod dialect;

pub(crate) use dialect::*;

mod accounts;
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
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The longest a statement waits for a connection (to come free, or to be made
/// while the server is away). Short, so that pages answer within two seconds
/// while the database is down (503, or a page kept from before); under load a
/// connection comes free in milliseconds.
const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(1_500);

/// The PostgreSQL store.
pub struct PgStore {
    /// The pool reads use (the shared code's name; the same pool as `writer`).
    readers: PgPool,
    /// The pool writes use.
    writer: PgPool,
    queries: Arc<AtomicU64>,
    /// Rows bulk loads added through this store, and how many there were when
    /// the tables were last analysed.
    bulk_rows: Arc<(AtomicU64, AtomicU64)>,
}

/// Rows a bulk load adds before the tables are first analysed; then again each
/// time they have doubled.
const ROWS_BEFORE_ANALYSIS: u64 = 2_000;
/// The tables a bulk load's batches look rows up in by id (the revisions'
/// previous state, updates from values, tags by name): analysed as they grow.
const LOOKED_UP_IN_BULK_LOADS: &[&str] =
    &["posts", "post_bodies", "post_tags", "tags", "revisions"];

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
            .options([
                ("synchronous_commit", "off"),
                // The indexes a bulk load drops are built again at its end.
                ("maintenance_work_mem", "256MB"),
            ])
            .disable_statement_logging();
        Self::connect_with(options, max_connections).await
    }

    async fn connect_with(options: PgConnectOptions, max_connections: u32) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(db_error)?;
        migrations::run(&pool).await?;
        Ok(Self {
            readers: pool.clone(),
            writer: pool,
            queries: Arc::new(AtomicU64::new(0)),
            bulk_rows: Arc::new((AtomicU64::new(0), AtomicU64::new(0))),
        })
    }

    /// Connections open, idle, and the most there may be (reads and writes share
    /// one pool).
    fn connections(&self) -> (u32, u32, u32) {
        let idle = u32::try_from(self.writer.num_idle()).unwrap_or(u32::MAX);
        (
            self.writer.size(),
            idle,
            self.writer.options().get_max_connections(),
        )
    }

    /// Counts one statement about to run (see `Store::queries_executed`).
    fn count(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// Moves the identity sequences past the ids a bulk load brought, so that rows
    /// written afterwards do not collide with them; and analyses the tables
    /// whenever bulk loads have doubled the rows since the last time. Without
    /// statistics, PostgreSQL plans a new table as if it were small: each batch's
    /// look-ups by id (the revisions' previous state, updates from values) then
    /// scanned whole tables, a cost that grew with every batch.
    async fn after_bulk_load(&self, loaded: &ponder_store::BulkLoaded) -> StoreResult<()> {
        let added = loaded.users
            + loaded.posts
            + loaded.comments
            + loaded.revisions
            + loaded.votes
            + loaded.cast_votes
            + loaded.badges;
        let (rows, analysed_at) = &*self.bulk_rows;
        let rows = rows.fetch_add(added, Ordering::Relaxed) + added;
        if rows >= ROWS_BEFORE_ANALYSIS.max(analysed_at.load(Ordering::Relaxed) * 2) {
            analysed_at.store(rows, Ordering::Relaxed);
            self.analyze_tables_if_filled(LOOKED_UP_IN_BULK_LOADS)
                .await?;
        }
        for table in ["users", "posts", "comments", "tags", "badges", "revisions"] {
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

    /// Analyses the tables that hold rows. Until autovacuum gets to a bulk load's
    /// rows PostgreSQL plans without statistics, and a question page's links scanned
    /// every post (60 ms a page on a 100,000-question site instead of under one).
    /// Empty tables are left alone: analysed, PostgreSQL believes them empty and
    /// keeps plans that scan them as they fill (computing the related lists after a
    /// load slowed to a crawl that way).
    async fn analyze_filled_tables(&self) -> StoreResult<()> {
        self.analyze_tables_if_filled(&[]).await
    }

    /// Analyses those of `tables` (every table when empty) that hold rows.
    async fn analyze_tables_if_filled(&self, tables: &[&str]) -> StoreResult<()> {
        let only = if tables.is_empty() {
            String::new()
        } else {
            format!("AND tablename IN ('{}')", tables.join("', '"))
        };
        // The table names are constants of this crate; nothing from outside
        // reaches this string.
        let sql = format!(
            "DO $$ DECLARE t text; filled boolean; BEGIN \
               FOR t IN SELECT quote_ident(tablename) FROM pg_tables \
                        WHERE schemaname = current_schema() {only} LOOP \
                 EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || t || ')' INTO filled; \
                 IF filled THEN EXECUTE 'ANALYZE ' || t; END IF; \
               END LOOP; \
             END $$"
        );
        self.count();
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
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
