//! The embedded schema and a small runner: each migration runs once, in order, in
//! its own transaction, and is recorded in `schema_migrations`. Several nodes may
//! start at once, so the runner holds an advisory lock: one migrates, the others
//! wait and then find nothing left to do.

use crate::db_error;
use ponder_store::StoreResult;
use sqlx::{PgConnection, PgPool};

/// The migrations, in order: version and SQL.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_imports.sql")),
    (3, include_str!("../migrations/0003_post_bodies.sql")),
    (4, include_str!("../migrations/0004_lz4_bodies.sql")),
    (5, include_str!("../migrations/0005_post_deletions.sql")),
    (6, include_str!("../migrations/0006_session_devices.sql")),
    (7, include_str!("../migrations/0007_signups.sql")),
    (8, include_str!("../migrations/0008_feed_positions.sql")),
    (9, include_str!("../migrations/0009_setup_tokens.sql")),
    (10, include_str!("../migrations/0010_site_settings.sql")),
    (
        11,
        include_str!("../migrations/0011_category_old_slugs.sql"),
    ),
    (12, include_str!("../migrations/0012_invitations.sql")),
    (13, include_str!("../migrations/0013_tag_wikis.sql")),
    (14, include_str!("../migrations/0014_inbox.sql")),
    (15, include_str!("../migrations/0015_mail_outbox.sql")),
    (16, include_str!("../migrations/0016_api_tokens.sql")),
    (17, include_str!("../migrations/0017_webhooks.sql")),
    (18, include_str!("../migrations/0018_post_links.sql")),
    (19, include_str!("../migrations/0019_uploads.sql")),
    (20, include_str!("../migrations/0020_related_questions.sql")),
    (21, include_str!("../migrations/0021_question_lists.sql")),
    (22, include_str!("../migrations/0022_related_due.sql")),
    (23, include_str!("../migrations/0023_category_lists.sql")),
    (24, include_str!("../migrations/0024_attempt_counts.sql")),
    (25, include_str!("../migrations/0025_imported_history.sql")),
    (26, include_str!("../migrations/0026_imported_profiles.sql")),
    (27, include_str!("../migrations/0027_account_claims.sql")),
    (28, include_str!("../migrations/0028_profile_fields.sql")),
    (29, include_str!("../migrations/0029_history_row_ids.sql")),
    (30, include_str!("../migrations/0030_content_licences.sql")),
    (
        31,
        include_str!("../migrations/0031_favourites_and_community.sql"),
    ),
    (32, include_str!("../migrations/0032_time_millis.sql")),
    (
        33,
        include_str!("../migrations/0033_revision_editor_names.sql"),
    ),
];

/// The advisory lock key that serialises migrations across nodes.
const MIGRATION_LOCK: i64 = 7_042_001;

/// Applies every migration not yet applied.
pub(crate) async fn run(pool: &PgPool) -> StoreResult<()> {
    let mut conn = pool.acquire().await.map_err(db_error)?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    let result = apply_pending(&mut conn).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await
        .map_err(db_error);
    result.and(unlocked.map(|_| ()))
}

async fn apply_pending(conn: &mut PgConnection) -> StoreResult<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    for &(version, sql) in MIGRATIONS {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?;
        if applied.is_some() {
            continue;
        }
        let mut tx = sqlx::Connection::begin(&mut *conn)
            .await
            .map_err(db_error)?;
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(ponder_core::time::now())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
    }
    Ok(())
}
