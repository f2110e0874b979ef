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
    use ponder_store::prelude::*;
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
    use ponder_store::prelude::*;
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

#[tokio::test]
async fn a_site_made_before_bodies_had_their_own_table_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    {
        // The schema as it stood at version 2, with one question in it.
        let db = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .unwrap();
        sqlx::raw_sql(concat!(
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0002_imports.sql"),
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
             INSERT INTO schema_migrations VALUES (1, 0), (2, 0);
             INSERT INTO users (id, handle, display_name, created_at) VALUES (7, 'ann', 'Ann', 0);
             INSERT INTO categories (id, slug, name) VALUES (3, 'general', 'General');
             INSERT INTO posts (id, kind, category_id, author_id, title, body_markdown, body_html,
                 created_at, last_activity_at)
                 VALUES (11, 'question', 3, 7, 'Kept?', 'A *kept* body', '<p>A <em>kept</em> body</p>', 0, 0);"
        ))
        .execute(&db)
        .await
        .unwrap();
        db.close().await;
    }
    let store = SqliteStore::open(&path).await.unwrap();
    use ponder_store::prelude::*;
    let thread = store
        .question_thread(ponder_core::PostId(11))
        .await
        .unwrap()
        .expect("the question is still there");
    assert_eq!(thread.question.body_markdown, "A *kept* body");
    assert_eq!(
        thread.question.body_html.as_str(),
        "<p>A <em>kept</em> body</p>"
    );
}

#[tokio::test]
async fn a_bulk_load_writes_without_the_log_until_the_site_opens_again() {
    use ponder_store_sqlite::WriteMode;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    let journal = || async {
        let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&db)
            .await
            .unwrap();
        db.close().await;
        mode
    };
    {
        let store = SqliteStore::open_with(&path, WriteMode::BulkLoad)
            .await
            .unwrap();
        ponder_store::conformance::user(&store, "ann").await;
        store.close().await;
    }
    assert_eq!(journal().await, "delete");
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(journal().await, "wal");
    // With the site open elsewhere, the log cannot be turned off: opening for a bulk
    // load says so instead of taking the file from under it.
    ponder_store::conformance::user(&store, "bob").await;
    let busy = SqliteStore::open_with(&path, WriteMode::BulkLoad).await;
    assert!(
        busy.is_err(),
        "opened for a bulk load beside a shared store"
    );
    use ponder_store::prelude::*;
    assert!(!store.is_empty().await.unwrap());
}

#[tokio::test]
async fn a_site_made_before_lists_were_marked_due_finds_its_questions_due() {
    use ponder_store::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    let (live, gone, listed) = {
        let store = SqliteStore::open(&path).await.unwrap();
        let ann = ponder_store::conformance::user(&store, "ann").await;
        let cat = ponder_store::conformance::category(&store, None, "old").await;
        let ask = |n: i64| {
            let store = &store;
            async move {
                let title = format!("A question from before, number {n}");
                ponder_store::conformance::ask(store, ann.id, cat.id, &title, &["x"], n).await
            }
        };
        let (live, gone, listed) = (ask(1).await, ask(2).await, ask(3).await);
        store
            .store_related(&[(listed, vec![live])], ponder_store::conformance::at(9))
            .await
            .unwrap();
        store
            .set_post_deleted(gone, true, ponder_store::conformance::at(10))
            .await
            .unwrap();
        store.close().await;
        (live, gone, listed)
    };
    {
        // As version 20 left it: no row for a question without a list, an old list
        // kept for a deleted question, no index of the lists' times.
        let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        // Ids the store gave, written into the SQL.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DELETE FROM related_lists WHERE question_id = {live};
             INSERT INTO related_lists (question_id, computed_at) VALUES ({gone}, 5);
             DROP INDEX related_lists_due_idx;
             DELETE FROM schema_migrations WHERE version = 21;"
        )))
        .execute(&db)
        .await
        .unwrap();
        db.close().await;
    }
    let store = SqliteStore::open(&path).await.unwrap();
    let due = store.related_due(None, i64::MAX, 10).await.unwrap();
    assert_eq!(
        due.iter()
            .map(|s| (s.id, s.computed_at))
            .collect::<Vec<_>>(),
        [(live, 0), (listed, ponder_store::conformance::at(9))]
    );
    // Undeleted, the deleted question is due rather than showing its old list.
    store
        .set_post_deleted(gone, false, ponder_store::conformance::at(11))
        .await
        .unwrap();
    assert_eq!(store.related_questions(gone).await.unwrap(), None);
}

#[tokio::test]
async fn a_site_with_an_index_per_category_order_gets_the_one_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    SqliteStore::open(&path).await.unwrap().close().await;
    let db = || async {
        sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap()
    };
    {
        // As migration 20 first made them: an index per order, no administrators'.
        let db = db().await;
        sqlx::raw_sql(
            "DROP INDEX posts_questions_category_idx;
             DROP INDEX users_administrators_idx;
             CREATE INDEX posts_questions_category_newest_idx ON posts (category_id, created_at)
              WHERE kind = 'question' AND deleted_at IS NULL;
             CREATE INDEX posts_questions_category_score_idx ON posts (category_id, score, created_at)
              WHERE kind = 'question' AND deleted_at IS NULL;
             CREATE INDEX posts_questions_category_unanswered_idx ON posts (category_id, created_at)
              WHERE kind = 'question' AND deleted_at IS NULL AND answer_count = 0;
             DELETE FROM schema_migrations WHERE version = 22;",
        )
        .execute(&db)
        .await
        .unwrap();
        db.close().await;
    }
    SqliteStore::open(&path).await.unwrap().close().await;
    let db = db().await;
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'index' \
         AND (name LIKE 'posts_questions_category%' OR name = 'users_administrators_idx') ORDER BY name",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        names.into_iter().map(|(n,)| n).collect::<Vec<_>>(),
        ["posts_questions_category_idx", "users_administrators_idx"]
    );
}

#[tokio::test]
async fn a_site_imported_before_claims_finds_its_imported_accounts_unclaimed() {
    use ponder_core::UserId;
    use ponder_store::TokenPurpose;
    use ponder_store::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    let ann = {
        let store = SqliteStore::open(&path).await.unwrap();
        let ann = ponder_store::conformance::user(&store, "ann").await;
        store
            .create_email_token(ponder_store::conformance::token(
                "kept",
                ann.id,
                TokenPurpose::ResetPassword,
                ponder_store::conformance::at(100),
            ))
            .await
            .unwrap();
        store.close().await;
        ann
    };
    // As version 25 left it, with an import run: its member (no password, no
    // address) and the site's own account with a pending reset link.
    run_sql(
        &path,
        "ALTER TABLE users DROP COLUMN imported_at;
             ALTER TABLE users DROP COLUMN claimed_at;
             INSERT INTO imports (source, started_at, finished_at) VALUES ('dump', 1, 2);
             INSERT INTO users (id, handle, display_name, created_at) VALUES (50, 'zoe', 'Zoé', 3);
             DELETE FROM schema_migrations WHERE version = 26;",
    )
    .await;
    let store = SqliteStore::open(&path).await.unwrap();
    assert!(store.user(UserId(50)).await.unwrap().unwrap().unclaimed);
    assert!(!store.user(ann.id).await.unwrap().unwrap().unclaimed);
    assert_eq!(
        store
            .use_email_token("kept", TokenPurpose::ResetPassword, 1)
            .await
            .unwrap()
            .map(|(user, _)| user),
        Some(ann.id),
        "links mailed before the upgrade still work"
    );
}

#[tokio::test]
async fn an_imported_location_and_website_become_the_accounts_own() {
    use ponder_core::UserId;
    use ponder_store::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    SqliteStore::open(&path).await.unwrap().close().await;
    // As version 26 left it: an imported member with a location and a website
    // in the profiles table, another with neither.
    run_sql(
        &path,
        "ALTER TABLE users DROP COLUMN location;
             ALTER TABLE users DROP COLUMN website_url;
             INSERT INTO users (id, handle, display_name, created_at) VALUES (50, 'zoe', 'Zoé', 3);
             INSERT INTO users (id, handle, display_name, created_at) VALUES (51, 'yan', 'Yan', 3);
             INSERT INTO imported_profiles (user_id, location, website_url, views)
                 VALUES (50, 'Lyon', 'https://zoe.example.org', 7);
             INSERT INTO imported_profiles (user_id, views) VALUES (51, 2);
             DELETE FROM schema_migrations WHERE version = 27;",
    )
    .await;
    let store = SqliteStore::open(&path).await.unwrap();
    let zoe = store.user(UserId(50)).await.unwrap().unwrap();
    assert_eq!(zoe.location.as_deref(), Some("Lyon"));
    assert_eq!(zoe.website_url.as_deref(), Some("https://zoe.example.org"));
    let yan = store.user(UserId(51)).await.unwrap().unwrap();
    assert_eq!((yan.location, yan.website_url), (None, None));
    let exported = store.imported_profile(UserId(50)).await.unwrap().unwrap();
    assert_eq!(exported.location.as_deref(), Some("Lyon"));
    assert_eq!(exported.views, Some(7), "what only a dump has stays");
}

#[tokio::test]
async fn imported_profiles_arrive_whichever_migration_made_them() {
    use ponder_store::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ponder.db");
    SqliteStore::open(&path).await.unwrap().close().await;
    // Migration 24 as it first landed made no profiles table; as it later stood
    // it did. Either way migration 25 leaves one table.
    for before in [
        "DROP TABLE imported_profiles; DELETE FROM schema_migrations WHERE version = 25;",
        "DELETE FROM schema_migrations WHERE version = 25;",
    ] {
        run_sql(&path, before).await;
        let store = SqliteStore::open(&path).await.unwrap();
        assert_eq!(
            store
                .imported_profile(ponder_core::UserId(1))
                .await
                .unwrap(),
            None,
            "{before}"
        );
        store.close().await;
    }
}

/// Runs `sql` on the site's file at `path` directly, to put it back as an
/// earlier version left it.
async fn run_sql(path: &std::path::Path, sql: &'static str) {
    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("the site's file opens");
    sqlx::raw_sql(sql).execute(&db).await.expect("the SQL runs");
    db.close().await;
}
