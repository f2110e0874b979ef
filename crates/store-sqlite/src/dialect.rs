//! What the shared SQL (`crates/store-sql`) needs of this backend, all in one
//! place: the dialect macros, the names it imports from the crate root, and the
//! row access and error mapping of SQLite. `crates/store-sql/README.md` lists them.

use crate::*;
use ponder_store::rows::RowAccess;
use ponder_store::{StoreError, StoreResult};
use sqlx::Row as _;

/// The JSON array of its arguments: one row of a question page's parts (`thread.rs`).
macro_rules! json_row {
    () => {
        "json_array"
    };
}
/// Opens the aggregate that gathers rows into a JSON array, `[]` for none; what
/// follows is the row, an ORDER BY, then [`json_list_close`].
macro_rules! json_list_open {
    () => {
        "json_group_array("
    };
}
/// Closes [`json_list_open`].
macro_rules! json_list_close {
    () => {
        ")"
    };
}
/// Makes a subquery's JSON array a JSON value inside another (SQLite passes it on
/// as text otherwise).
macro_rules! json_value {
    () => {
        "json"
    };
}
/// Turns a JSON value into the text the driver reads: nothing to do on SQLite.
macro_rules! json_as_text {
    () => {
        ""
    };
}
/// The two-argument maximum.
macro_rules! greatest {
    () => {
        "max"
    };
}
/// No row locks: the single writer serialises writes.
macro_rules! for_update {
    () => {
        ""
    };
}
/// One writer: change ids are in commit order, every committed change is safe to read.
macro_rules! changes_visible {
    () => {
        ""
    };
}
/// The ids bound as `$1`, a JSON array.
macro_rules! id_list {
    () => {
        "SELECT value FROM json_each($1)"
    };
}

/// Serialises the transactions that lock the text bound as `$1`: SQLite's single
/// writer does so already, so the statement does nothing there.
macro_rules! lock_text {
    () => {
        "SELECT $1"
    };
}

/// What the shared code attaches to.
pub(crate) type Backend = SqliteStore;
/// The name `Store::backend` reports.
pub(crate) const BACKEND_NAME: &str = "sqlite";
/// The non-unique indexes of posts, comments, imported votes and post tags, which bulk loads may drop and make
/// again: name and definition.
pub(crate) const LOAD_INDEXES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
     AND tbl_name IN ('posts', 'comments', 'imported_votes', 'post_tags') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name";
/// The triggers on posts and post_tags (they keep the lists' totals), which bulk
/// loads drop and make again: the statement that drops each, and its definition.
pub(crate) const LOAD_TRIGGERS: &str = "SELECT 'DROP TRIGGER IF EXISTS \"' || replace(name, '\"', '\"\"') || '\"', sql \
     FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('posts', 'post_tags') ORDER BY name";
/// How a dropped trigger is made again if it is not there already.
macro_rules! create_trigger_again {
    () => {
        "TRIGGER IF NOT EXISTS"
    };
}
pub(crate) type Db = sqlx::Sqlite;
pub(crate) type DbArgs = sqlx::sqlite::SqliteArguments;

/// Binds a list of ids as the JSON array `id_list!()` reads.
pub(crate) fn bind_ids<'q, O>(
    query: sqlx::query::QueryAs<'q, Db, O, DbArgs>,
    ids: Vec<i64>,
) -> sqlx::query::QueryAs<'q, Db, O, DbArgs> {
    query.bind(ponder_store::rows::json_id_list(ids))
}

/// Binds a list of ids as `id_list!()` reads it, on a query of rows.
pub(crate) fn bind_id_list<'q>(
    query: sqlx::query::Query<'q, Db, DbArgs>,
    ids: Vec<i64>,
) -> sqlx::query::Query<'q, Db, DbArgs> {
    query.bind(ponder_store::rows::json_id_list(ids))
}

/// Maps a sqlx error onto the store's error, turning unique violations into
/// [`StoreError::Conflict`] with the index's name.
pub(crate) fn db_error(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // SQLite names the index in its message: "UNIQUE constraint failed: index 'users_handle_key'"
        // or the columns: "UNIQUE constraint failed: tags.name".
        let message = db.message();
        let constraint = message
            .split_once("failed: ")
            .map_or(message, |(_, rest)| rest)
            .trim_start_matches("index ")
            .trim_matches('\'')
            .to_owned();
        return StoreError::Conflict { constraint };
    }
    if unavailable(&err) {
        return StoreError::Unavailable(Box::new(err));
    }
    // Another process held the file's lock past the busy timeout, or a read
    // snapshot went stale under another process's write: nothing was written.
    if let sqlx::Error::Database(db) = &err
        && db
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| matches!(code & 0xff, BUSY | LOCKED))
    {
        return StoreError::Contention(Box::new(err));
    }
    StoreError::Database(Box::new(err))
}

/// SQLITE_BUSY: another connection (here, another process) holds the lock.
const BUSY: i64 = 5;
/// SQLITE_LOCKED: a conflict within the same connection's shared cache.
const LOCKED: i64 = 6;

/// Begins a write transaction on `pool` that takes the write lock at once
/// (`BEGIN IMMEDIATE`): another process writing the same file makes it wait
/// (the busy timeout) rather than fail later, when a read would have to become
/// a write. Within one process the writer pool's one connection orders writes.
///
/// A connection whose last transaction SQLite ended by itself (a full disk or an
/// I/O error rolls it back) is still counted open by the driver, which would then
/// refuse the `BEGIN`; it is closed and another made.
pub(crate) async fn begin_write(
    pool: &sqlx::SqlitePool,
) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    use sqlx::Connection as _;
    let mut conn = pool.acquire().await?;
    if conn.is_in_transaction() {
        // A rollback queued when a transaction was dropped runs before this.
        sqlx::query("SELECT 1").execute(&mut *conn).await?;
        if conn.is_in_transaction() {
            tracing::warn!(
                "a writer connection still counted a transaction SQLite had ended; opening another"
            );
            conn.close().await?;
            conn = pool.acquire().await?;
        }
    }
    sqlx::Transaction::begin(conn, Some(sqlx::SqlStr::from_static("BEGIN IMMEDIATE"))).await
}

/// Whether `err` says the file cannot be written or read just now: the disk is
/// full (SQLITE_FULL), the file or its folder is read-only (SQLITE_READONLY), the
/// disk failed a read or write (SQLITE_IOERR), the file cannot be opened
/// (SQLITE_CANTOPEN), or no connection came free in time. SQLite's extended codes
/// carry the primary one in their low byte.
fn unavailable(err: &sqlx::Error) -> bool {
    const READONLY: i64 = 8;
    const IOERR: i64 = 10;
    const FULL: i64 = 13;
    const CANTOPEN: i64 = 14;
    match err {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| matches!(code & 0xff, READONLY | IOERR | FULL | CANTOPEN)),
        _ => false,
    }
}

/// Positional access to SQLite rows for the shared row mapping.
pub(crate) struct Cols<'a>(pub &'a SqliteRow);

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
