//! The embedded schema and a small runner: each migration runs once, in order, in
//! its own transaction, and is recorded in `schema_migrations`.

use crate::db_error;
use ponder_store::StoreResult;
use sqlx::SqlitePool;

/// The migrations, in order: version and SQL.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_imports.sql")),
    (3, include_str!("../migrations/0003_post_bodies.sql")),
    (4, include_str!("../migrations/0004_post_deletions.sql")),
    (5, include_str!("../migrations/0005_session_devices.sql")),
    (6, include_str!("../migrations/0006_signups.sql")),
    (7, include_str!("../migrations/0007_feed_positions.sql")),
    (8, include_str!("../migrations/0008_setup_tokens.sql")),
    (9, include_str!("../migrations/0009_site_settings.sql")),
    (
        10,
        include_str!("../migrations/0010_category_old_slugs.sql"),
    ),
    (11, include_str!("../migrations/0011_invitations.sql")),
    (12, include_str!("../migrations/0012_tag_wikis.sql")),
    (13, include_str!("../migrations/0013_inbox.sql")),
    (14, include_str!("../migrations/0014_mail_outbox.sql")),
    (15, include_str!("../migrations/0015_api_tokens.sql")),
    (16, include_str!("../migrations/0016_webhooks.sql")),
    (17, include_str!("../migrations/0017_post_links.sql")),
    (18, include_str!("../migrations/0018_uploads.sql")),
    (19, include_str!("../migrations/0019_related_questions.sql")),
    (20, include_str!("../migrations/0020_question_lists.sql")),
    (21, include_str!("../migrations/0021_related_due.sql")),
    (22, include_str!("../migrations/0022_category_lists.sql")),
    (23, include_str!("../migrations/0023_attempt_counts.sql")),
    (24, include_str!("../migrations/0024_imported_history.sql")),
    (25, include_str!("../migrations/0025_imported_profiles.sql")),
    (26, include_str!("../migrations/0026_account_claims.sql")),
    (27, include_str!("../migrations/0027_profile_fields.sql")),
    (28, include_str!("../migrations/0028_history_row_ids.sql")),
    (29, include_str!("../migrations/0029_content_licences.sql")),
    (
        30,
        include_str!("../migrations/0030_favourites_and_community.sql"),
    ),
    (31, include_str!("../migrations/0031_time_millis.sql")),
    (
        32,
        include_str!("../migrations/0032_revision_editor_names.sql"),
    ),
];

/// The newest migration this build has.
pub(crate) fn newest() -> i64 {
    MIGRATIONS.last().map_or(0, |&(version, _)| version)
}

/// Applies every migration not yet applied.
pub(crate) async fn run(pool: &SqlitePool) -> StoreResult<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
    )
    .execute(pool)
    .await
    .map_err(db_error)?;
    for &(version, sql) in MIGRATIONS {
        let mut tx = pool.begin().await.map_err(db_error)?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        if applied.is_some() {
            continue;
        }
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
