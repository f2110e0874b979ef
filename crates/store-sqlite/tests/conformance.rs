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

#[tokio::test]
async fn bulk_loads_drop_secondary_indexes_and_make_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("ponder.db"))
        .await
        .unwrap();
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("ponder.db").display()
    ))
    .await
    .unwrap();
    let count = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('posts', 'comments') AND sql IS NOT NULL",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        n
    };
    use ponder_store::Store;
    let before = count().await;
    assert!(before >= 7, "{before}");
    store.record_import("dump", false, 1).await.unwrap();
    store.suspend_indexes("dump").await.unwrap();
    assert_eq!(
        count().await,
        0,
        "posts and comments have no unique indexes besides their keys"
    );
    // A second suspension (a run after a crash) keeps the first's definitions.
    store.suspend_indexes("dump").await.unwrap();
    store.restore_indexes("dump").await.unwrap();
    assert_eq!(count().await, before);
    store.restore_indexes("dump").await.unwrap();
    assert_eq!(count().await, before);
}
