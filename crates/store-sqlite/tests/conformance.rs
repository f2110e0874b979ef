//! The store conformance suite on SQLite, each test on its own database file.

use ponder_store_sqlite::SqliteStore;
use ponder_store_sqlite::testing::fresh_store;

ponder_store::conformance_tests!(fresh_store);

#[tokio::test]
async fn reopening_keeps_data_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        ponder_store::conformance::user(&store, "ann").await;
    }
    let store = SqliteStore::open(&path).await.unwrap();
    use ponder_store::Store;
    assert!(!store.is_empty().await.unwrap());
    assert_eq!(store.changes_since(0, 10).await.unwrap().len(), 1);
}
