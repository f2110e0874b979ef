//! Test databases for PostgreSQL (feature `testing`): each call makes a fresh
//! database on the server that `PONDER_TEST_POSTGRES_URL` names and drops it when the
//! returned guard is dropped. Without the variable the tests say they were skipped,
//! except under CI (`CI=true`), where a missing or unreachable server fails them, so
//! the PostgreSQL half can never silently stop running.

use crate::PgStore;
use ponder_store::conformance::TestStore;
use sqlx::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Drops the test's database when the test ends.
struct DropDatabase {
    admin_url: String,
    name: String,
    store: Arc<PgStore>,
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let store = self.store.clone();
        // Drop runs inside the test's runtime; do the async clean-up on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                store.close().await;
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut admin)
                        .await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// The server's URL, or `None` (with the reason printed) when tests should skip.
pub fn server_url() -> Option<String> {
    match std::env::var("PONDER_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "PONDER_TEST_POSTGRES_URL is not set, and under CI the PostgreSQL tests must run"
            )
        }
        _ => {
            eprintln!("skipped: set PONDER_TEST_POSTGRES_URL to run the PostgreSQL tests");
            None
        }
    }
}

/// `url` with its database name replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[prefix_end..].find('/') {
        Some(slash) => &base[..prefix_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// A fresh, empty, migrated store in a database of its own, or `None` (with the
/// reason printed) when no server is configured outside CI. Tests that use it run
/// on a multi-threaded runtime: the guard drops the database from a thread of its
/// own, which a single-threaded runtime blocked in the drop would starve.
pub async fn fresh_store() -> Option<TestStore> {
    fresh_pg_store().await.map(|(_, test_store)| test_store)
}

/// [`fresh_store`], with the store also as a [`PgStore`], for tests of what only
/// PostgreSQL has.
pub async fn fresh_pg_store() -> Option<(Arc<PgStore>, TestStore)> {
    fresh_database(false, None).await
}

/// [`fresh_store`], with the store connecting to the server through `relay` (an
/// address that passes connections on to the server's), so that a test can cut
/// the database away and bring it back. The database is made and dropped over a
/// direct connection.
pub async fn fresh_store_through(relay: std::net::SocketAddr) -> Option<TestStore> {
    fresh_database(false, Some(relay))
        .await
        .map(|(_, test_store)| test_store)
}

/// [`fresh_store`], with the URL of its database, for tests that start servers on it.
pub async fn fresh_store_and_url() -> Option<(String, TestStore)> {
    let admin_url = server_url()?;
    let (store, test_store) = fresh_database(false, None).await?;
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&store.readers)
        .await
        .expect("the test database's name");
    Some((with_database(&admin_url, &name), test_store))
}

/// The server's address (`host:port`) in `url`, as a relay would connect to it.
pub fn server_address(url: &str) -> Option<String> {
    let authority = authority(url)?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    })
}

/// `url` with its server's address replaced by `address`.
pub fn with_address(url: &str, address: std::net::SocketAddr) -> String {
    let Some(authority) = authority(url) else {
        return url.to_owned();
    };
    let start = url.find(authority).unwrap_or(0);
    let user = authority
        .rsplit_once('@')
        .map_or(String::new(), |(u, _)| format!("{u}@"));
    format!(
        "{}{user}{address}{}",
        &url[..start],
        &url[start + authority.len()..]
    )
}

/// The `user@host:port` part of `url`.
fn authority(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    Some(rest.split(['/', '?']).next().unwrap_or(rest))
}

/// [`fresh_pg_store`], connected as a bulk loader ([`PgStore::connect_for_bulk_load`]).
pub async fn fresh_bulk_load_store() -> Option<(Arc<PgStore>, TestStore)> {
    fresh_database(true, None).await
}

async fn fresh_database(
    bulk_load: bool,
    relay: Option<std::net::SocketAddr>,
) -> Option<(Arc<PgStore>, TestStore)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin_url = server_url()?;
    let name = format!(
        "ponder_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        ponder_core::time::now()
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at PONDER_TEST_POSTGRES_URL: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    admin.close().await.ok();
    let url = with_database(&admin_url, &name);
    let url = relay.map_or_else(|| url.clone(), |relay| with_address(&url, relay));
    let connected = if bulk_load {
        PgStore::connect_for_bulk_load(&url, 8).await
    } else {
        PgStore::connect(&url, 8).await
    };
    let store = Arc::new(connected.expect("connect to test database"));
    Some((
        store.clone(),
        TestStore {
            store: store.clone(),
            guard: Box::new(DropDatabase {
                admin_url,
                name,
                store,
            }),
        },
    ))
}

impl PgStore {
    /// The value of the server setting `name` on one of the store's connections.
    pub async fn setting(&self, name: &str) -> ponder_store::StoreResult<String> {
        sqlx::query_scalar("SELECT current_setting($1)")
            .bind(name)
            .fetch_one(&self.readers)
            .await
            .map_err(crate::db_error)
    }

    /// How new values of `table.column` are compressed when stored out of line:
    /// `"lz4"`, `"pglz"`, or `""` for the server's default.
    pub async fn column_compression(
        &self,
        table: &str,
        column: &str,
    ) -> ponder_store::StoreResult<String> {
        sqlx::query_scalar(
            "SELECT CASE attcompression WHEN 'l' THEN 'lz4' WHEN 'p' THEN 'pglz' ELSE '' END \
             FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2",
        )
        .bind(table)
        .bind(column)
        .fetch_one(&self.readers)
        .await
        .map_err(crate::db_error)
    }

    /// Whether `table` has been analysed: the planner's row estimate is known
    /// (`reltuples` is -1 until the first ANALYZE or VACUUM).
    pub async fn analysed(&self, table: &str) -> ponder_store::StoreResult<bool> {
        sqlx::query_scalar("SELECT reltuples >= 0 FROM pg_class WHERE oid = to_regclass($1)")
            .bind(table)
            .fetch_one(&self.readers)
            .await
            .map_err(crate::db_error)
    }
}
