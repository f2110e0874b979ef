//! Backups of a site being written to, restored elsewhere and compared; and
//! every refusal of a restore or a backup.

#![expect(
    clippy::unwrap_used,
    reason = "test steps: a failed step should fail the test"
)]

use ponder_store::conformance as fx;
use ponder_store::prelude::*;
use ponder_store_sqlite::SqliteStore;
use ponder_store_sqlite::backup::{BackupError, back_up, restore};
use sqlx::{ConnectOptions as _, Connection as _};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Rows of `sql` (two columns: an id and a text) in the file at `db`.
async fn rows(db: &Path, sql: &'static str) -> Vec<(i64, String)> {
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .unwrap();
    let rows = sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    rows
}

const ANSWERS: &str = "SELECT p.id, b.body_markdown FROM posts p JOIN post_bodies b ON b.post_id = p.id WHERE p.kind = 'answer' ORDER BY p.id";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_is_one_moment_of_the_site_and_restores_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ponder.db");
    let store = Arc::new(SqliteStore::open(&db).await.unwrap());
    let ann = fx::user(&*store, "ann").await;
    let history = fx::category(&*store, None, "history").await;
    let question = fx::ask(&*store, ann.id, history.id, "Why did the wall fall", &[], 0).await;

    // A writer answering as fast as it can, noting each answer acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (store, acknowledged, stop) = (store.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 1;
            while !stop.load(Ordering::Acquire) {
                let id = fx::answer(&*store, question, ann.id, n).await;
                acknowledged.lock().unwrap().push(id);
                n += 1;
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = acknowledged.lock().unwrap().len();
    let backup = dir.path().join("backup.db");
    let copied = back_up(&db, &backup).await.unwrap();
    let after = acknowledged.lock().unwrap().len();
    stop.store(true, Ordering::Release);
    writer.await.unwrap();
    assert!(copied.bytes > 0);
    assert!(copied.schema >= 22, "{copied:?}");

    // One moment: every answer acknowledged before it began, none that came
    // after it ended, and the question's count agreeing with its rows.
    let kept = rows(&backup, ANSWERS).await;
    assert!(
        kept.len() >= before && kept.len() <= after,
        "{before} <= {} <= {after}",
        kept.len()
    );
    let counted = rows(
        &backup,
        "SELECT answer_count, '' FROM posts WHERE kind = 'question'",
    )
    .await;
    assert_eq!(counted, [(kept.len() as i64, String::new())]);
    let source = rows(&db, ANSWERS).await;
    assert_eq!(
        kept[..],
        source[..kept.len()],
        "the same rows as the site's"
    );

    // Restored into a new site, it opens and reads as the site did.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let restored_db = other.join("ponder.db");
    restore(&backup, &restored_db, false).await.unwrap();
    let restored = SqliteStore::open(&restored_db).await.unwrap();
    let post = restored.post(question).await.unwrap().unwrap();
    assert_eq!(post.answer_count as usize, kept.len());
    assert_eq!(
        restored.login_record("ann").await.unwrap().unwrap().user.id,
        ann.id
    );

    // A site there is replaced only when asked, and only once nothing has it open.
    let again = restore(&backup, &restored_db, false).await.unwrap_err();
    assert!(
        matches!(again, BackupError::Exists { restore: true, .. }),
        "{again}"
    );
    assert!(again.to_string().contains("--force"), "{again}");
    let busy = restore(&backup, &restored_db, true).await.unwrap_err();
    assert!(matches!(busy, BackupError::InUse { .. }), "{busy}");
    restored.close().await;
    drop(restored);
    restore(&backup, &restored_db, true).await.unwrap();
    assert_eq!(rows(&restored_db, ANSWERS).await, kept);

    // A backup never overwrites a file.
    let taken = back_up(&db, &backup).await.unwrap_err();
    assert!(
        matches!(taken, BackupError::Exists { restore: false, .. }),
        "{taken}"
    );
}

#[tokio::test]
async fn restores_refuse_what_is_not_a_site_or_is_newer_than_this_build() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("site.db");
    let refused = |err: BackupError| err.to_string();

    let missing = restore(&dir.path().join("nowhere.db"), &target, false).await;
    assert!(refused(missing.unwrap_err()).contains("no such file"));

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some words").unwrap();
    let err = restore(&text, &target, false).await.unwrap_err();
    assert!(matches!(err, BackupError::NotASite { .. }), "{err}");

    let empty = dir.path().join("empty.db");
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&empty)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE unrelated (x)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let err = restore(&empty, &target, false).await.unwrap_err();
    assert!(matches!(err, BackupError::NotASite { .. }), "{err}");

    let newer = dir.path().join("newer.db");
    SqliteStore::open(&newer).await.unwrap().close().await;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&newer)
        .connect()
        .await
        .unwrap();
    sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let err = restore(&newer, &target, false).await.unwrap_err();
    assert!(
        matches!(err, BackupError::Newer { found: 9999, .. }),
        "{err}"
    );
    assert!(!target.exists(), "nothing was written");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")),
        "no half-written copy is left"
    );
}
