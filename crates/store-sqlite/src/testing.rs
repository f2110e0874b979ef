//! Test stores for SQLite (feature `testing`): each call makes a fresh database
//! file in a temporary folder that goes when the returned guard is dropped.

use crate::SqliteStore;
use ponder_store::conformance::TestStore;
use std::sync::Arc;

/// A fresh, empty, migrated store in a temporary folder.
pub async fn fresh_store() -> Option<TestStore> {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("ponder.db"))
        .await
        .expect("open sqlite store");
    Some(TestStore {
        store: Arc::new(store),
        guard: Box::new(dir),
    })
}
