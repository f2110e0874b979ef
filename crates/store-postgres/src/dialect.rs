//! What the shared SQL (`crates/store-sql`) needs of this backend, all in one
//! place: the dialect macros, the names it imports from the crate root, and the
//! row access and error mapping of PostgreSQL. `crates/store-sql/README.md` lists them.

use crate::*;
use ponder_store::rows::RowAccess;
use ponder_store::{StoreError, StoreResult};
use sqlx::Row as _;

/// The JSON array of its arguments: one row of a question page's parts (`thread.rs`).
macro_rules! json_row {
    () => {
        "json_build_array"
    };
}
/// Opens the aggregate that gathers rows into a JSON array, `[]` for none (json_agg
/// gives NULL); what follows is the row, an ORDER BY, then [`json_list_close`].
macro_rules! json_list_open {
    () => {
        "coalesce(json_agg("
    };
}
/// Closes [`json_list_open`].
macro_rules! json_list_close {
    () => {
        "), '[]')"
    };
}
/// Makes a subquery's JSON array a JSON value inside another: it is one already.
macro_rules! json_value {
    () => {
        ""
    };
}
/// Turns a JSON value into the text the driver reads.
macro_rules! json_as_text {
    () => {
        "::text"
    };
}
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

/// What the shared code attaches to.
pub(crate) type Backend = PgStore;
/// The name `Store::backend` reports.
pub(crate) const BACKEND_NAME: &str = "postgres";
/// The non-unique indexes of posts, comments, imported votes and post tags, which bulk loads may drop and make
/// again: name and definition.
pub(crate) const LOAD_INDEXES: &str = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
     AND tablename IN ('posts', 'comments', 'imported_votes', 'post_tags') AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname";
/// The triggers on posts and post_tags (they keep the lists' totals), which bulk
/// loads drop and make again: the statement that drops each, and its definition.
pub(crate) const LOAD_TRIGGERS: &str = "SELECT format('DROP TRIGGER IF EXISTS %I ON %s', tgname, tgrelid::regclass), \
     pg_get_triggerdef(oid) FROM pg_trigger \
     WHERE tgrelid IN ('posts'::regclass, 'post_tags'::regclass) AND NOT tgisinternal ORDER BY tgname";
/// How a dropped trigger is made again, replacing one already there.
macro_rules! create_trigger_again {
    () => {
        "OR REPLACE TRIGGER"
    };
}
pub(crate) type Db = sqlx::Postgres;
pub(crate) type DbArgs = sqlx::postgres::PgArguments;

/// Binds a list of ids as the array `id_list!()` reads.
pub(crate) fn bind_ids<'q, O>(
    query: sqlx::query::QueryAs<'q, Db, O, DbArgs>,
    ids: Vec<i64>,
) -> sqlx::query::QueryAs<'q, Db, O, DbArgs> {
    query.bind(ids)
}

/// Binds a list of ids as `id_list!()` reads it, on a query of rows.
pub(crate) fn bind_id_list<'q>(
    query: sqlx::query::Query<'q, Db, DbArgs>,
    ids: Vec<i64>,
) -> sqlx::query::Query<'q, Db, DbArgs> {
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
    // Text with NUL, or bytes not in the encoding: the value, not the database.
    if let sqlx::Error::Database(db) = &err
        && matches!(db.code().as_deref(), Some("22021" | "22P05"))
    {
        return StoreError::Unstorable(db.message().to_owned());
    }
    if unavailable(&err) {
        return StoreError::Unavailable(Box::new(err));
    }
    StoreError::Database(Box::new(err))
}

/// Begins a write transaction on `pool` (PostgreSQL's row locks order writers).
pub(crate) async fn begin_write(
    pool: &sqlx::PgPool,
) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    pool.begin().await
}

/// Whether `err` says the server cannot be reached or cannot serve just now: no
/// connection (refused, reset, timed out, the pool closed or out of time), or the
/// server's own word: a connection exception (class 08), shutting down or
/// starting up (57P01-57P03), out of resources (class 53: disk full, memory,
/// connections), or a read-only server (25006, a standby).
fn unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08")
                || code.starts_with("53")
                || matches!(&*code, "57P01" | "57P02" | "57P03" | "25006")
        }),
        _ => false,
    }
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
