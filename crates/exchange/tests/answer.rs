//! Importing an Apache Answer site from its database: a database laid out as
//! Answer's schema has it (`answer_fixture.sql`), as its SQLite file and on
//! PostgreSQL, imported into both stores; what each row became, what was
//! skipped and why, a second run adding nothing, and what is refused.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed step should fail the test"
)]

#[allow(
    dead_code,
    reason = "the helpers are shared with the dump tests, which use the rest"
)]
mod support;

use ponder_core::rules::Role;
use ponder_core::{CommentId, PostId, UserId};
use ponder_exchange::{AnswerImportOptions, ImportSummary, NoProgress, import_answer};
use ponder_store::conformance::TestStore;
use ponder_store::{PostKind, Store, VoteValue};
use sqlx::Connection;
use std::sync::Arc;
use support::*;

const FIXTURE: &str = include_str!("answer_fixture.sql");

/// Writes the fixture into a new SQLite file in `dir`; its path.
async fn answer_sqlite(dir: &std::path::Path) -> String {
    let path = dir.join("answer.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(FIXTURE).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    path.display().to_string()
}

/// A PostgreSQL database holding the fixture, dropped with the guard; `None`
/// when no server is configured (outside CI).
struct AnswerPostgres {
    admin: String,
    name: String,
    url: String,
}

impl AnswerPostgres {
    async fn new() -> Option<Self> {
        let admin = ponder_store_postgres::testing::server_url()?;
        let name = format!("answer_source_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut conn)
            .await
            .unwrap();
        let create = format!("CREATE DATABASE \"{name}\"");
        sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = ponder_store_postgres::testing::with_database(&admin, &name);
        let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(FIXTURE).execute(&mut db).await.unwrap();
        db.close().await.unwrap();
        Some(Self { admin, name, url })
    }

    async fn drop_database(self) {
        let mut conn = sqlx::PgConnection::connect(&self.admin).await.unwrap();
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

async fn import(store: &Arc<dyn Store>, source: &str) -> Result<ImportSummary, String> {
    let options = AnswerImportOptions {
        source: source.to_owned(),
        category: None,
    };
    import_answer(Arc::clone(store), &options, &NoProgress)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_sqlite_into_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let source = answer_sqlite(dir.path()).await;
    let site = store_on("sqlite").await.unwrap();
    everything_arrives(&site, &source).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_sqlite_into_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let source = answer_sqlite(dir.path()).await;
    let Some(site) = store_on("postgres").await else {
        return;
    };
    everything_arrives(&site, &source).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_postgres_into_sqlite() {
    let Some(source) = AnswerPostgres::new().await else {
        return;
    };
    let site = store_on("sqlite").await.unwrap();
    everything_arrives(&site, &source.url).await;
    source.drop_database().await;
}

/// Imports `source` into `site` and checks every row's fate, then a second run.
async fn everything_arrives(site: &TestStore, source: &str) {
    let store = &site.store;
    let summary = import(store, source).await.unwrap();

    // Members: ids kept, usernames as handles where valid, profile fields,
    // reputation, the deleted one deleted, a placeholder for the absent author.
    let admin = store.user(UserId(1)).await.unwrap().unwrap();
    assert_eq!(admin.handle, "admin");
    assert_eq!(admin.display_name, "Admin");
    assert_eq!(admin.reputation, 200);
    assert_eq!(admin.location.as_deref(), Some("Lyon"));
    assert_eq!(admin.website_url.as_deref(), Some("https://example.org/me"));
    assert!(admin.about_html.as_str().contains("<strong>this</strong>"));
    assert!(admin.unclaimed);
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(
        store.user(UserId(2)).await.unwrap().unwrap().role,
        Role::User
    );
    let bob = store.user(UserId(3)).await.unwrap().unwrap();
    assert_eq!(bob.handle, "bob-q-3", "a one-letter username is no handle");
    assert_eq!(bob.display_name, "Bob Q");
    assert_eq!(bob.role, Role::Moderator);
    assert!(store.user(UserId(4)).await.unwrap().unwrap().deleted);
    let absent = store.user(UserId(99)).await.unwrap().unwrap();
    assert!(absent.deleted, "the absent author is a deleted placeholder");
    assert_eq!(summary.placeholders, 1);

    // Verified addresses of live members become their claim addresses; an
    // unverified one and a deleted member's do not.
    let record = store
        .login_record("admin@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.user.id, UserId(1));
    assert!(
        record.password_hash.is_none(),
        "passwords are not carried over"
    );
    assert!(
        store
            .login_record("alice@example.org")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .login_record("bob@example.org")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .login_record("gone@example.org")
            .await
            .unwrap()
            .is_none()
    );
    let users = summary.file("user").unwrap();
    assert_eq!((users.read, users.added), (4, 4));
    assert!(
        users
            .notes
            .iter()
            .any(|n| n.starts_with("2 members can claim")),
        "{:?}",
        users.notes
    );
    assert!(
        users
            .notes
            .contains(&"1 administrators and 1 moderators keep their role".to_owned()),
        "{:?}",
        users.notes
    );

    // Tags: the synonym folds into its main tag, the deleted one is left out,
    // the wiki and its first paragraph as the description, reserved kept.
    let support = store.tag("support").await.unwrap().unwrap();
    assert_eq!(support.description, "For general support questions.");
    assert_eq!(support.question_count, 2);
    let rust = store.tag("rust").await.unwrap().unwrap();
    assert_eq!(
        rust.question_count, 2,
        "the question tagged rustlang counts"
    );
    assert!(store.tag("rustlang").await.unwrap().is_none());
    assert!(store.tag("old").await.unwrap().is_none());
    let tags = store.export_tags(i64::MIN, 100).await.unwrap();
    let support = tags.iter().find(|t| t.name == "support").unwrap();
    assert_eq!(support.id, 1);
    assert!(support.wiki.markdown().contains("Say what you tried."));
    assert!(
        tags.iter()
            .find(|t| t.name == "rust")
            .unwrap()
            .moderator_only
    );
    let tag = summary.file("tag").unwrap();
    assert_eq!(tag.skipped_for("deleted on Answer"), 1);
    assert_eq!(
        tag.skipped_for("a synonym: questions carrying it carry its main tag"),
        1
    );

    // Posts keep the number of Answer's sequence as their id.
    let posts = all_posts(store.as_ref()).await;
    let ids: Vec<i64> = posts.iter().map(|p| p.id.0).collect();
    assert_eq!(ids, [2, 3, 4, 5, 9, 10, 11]);
    let q1 = posts.iter().find(|p| p.id == PostId(2)).unwrap();
    assert_eq!(q1.kind, PostKind::Question);
    assert_eq!(q1.title, "How do lifetimes work?");
    assert!(q1.body.html().contains("<em>mean</em>"));
    assert_eq!(q1.author_id, UserId(2));
    let mut q1_tags = q1.tags.clone();
    q1_tags.sort();
    assert_eq!(q1_tags, ["rust", "support"]);
    assert_eq!(q1.score, 1);
    assert_eq!(q1.view_count, 42);
    assert_eq!(q1.answer_count, 2);
    assert_eq!(q1.comment_count, 1, "the deleted comment is not counted");
    assert_eq!(q1.accepted_answer_id, Some(PostId(3)));
    // 2024-03-01 10:00:00 UTC, edited 2024-03-02 09:00:00, active 2024-03-03 12:00.
    assert_eq!(q1.created_at, 1_709_287_200);
    assert_eq!(q1.edited_at, Some(1_709_370_000));
    assert_eq!(q1.last_activity_at, 1_709_467_200);
    let a1 = posts.iter().find(|p| p.id == PostId(3)).unwrap();
    assert_eq!(
        (a1.kind, a1.parent_id, a1.author_id),
        (PostKind::Answer, Some(PostId(2)), UserId(3))
    );
    let q2 = posts.iter().find(|p| p.id == PostId(4)).unwrap();
    assert!(q2.closed_at.is_some() && q2.deleted_at.is_none());
    // Links to the Answer site's own questions and answers, with its address
    // (from its settings) or without, go to the local ones; a missing
    // question's, another site's and code keep their addresses.
    let markdown = q2.body.markdown();
    assert!(
        markdown.contains(
            "[https://answer.example.org/questions/10010000000000002/how-do-lifetimes-work](/questions/2)"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("[the answer](/questions/3)"),
        "{markdown}"
    );
    assert!(markdown.contains("(https://answer.example.org/questions/10010000000000097)"));
    assert!(markdown.contains("https://elsewhere.example/questions/10010000000000002."));
    assert!(
        q2.body.html().contains("href=\"/questions/2\""),
        "{}",
        q2.body.html()
    );
    assert!(q2.body.html().contains("href=\"/questions/3\""));
    assert_eq!(summary.links_made_local, 1);
    for (id, why) in [(9, "deleted"), (10, "awaiting review")] {
        let p = posts.iter().find(|p| p.id == PostId(id)).unwrap();
        assert!(
            p.deleted_at.is_some(),
            "question {id}, {why}, is deleted here"
        );
    }
    let q5 = posts.iter().find(|p| p.id == PostId(11)).unwrap();
    assert_eq!(q5.author_id, UserId(99));
    assert_eq!(summary.posts_added, 7);
    assert_eq!(
        summary
            .file("answer")
            .unwrap()
            .skipped_for("to a question not in the database"),
        1
    );
    assert_eq!(
        summary
            .file("question")
            .unwrap()
            .defaulted
            .values()
            .sum::<u64>(),
        1,
        "the question awaiting review is said"
    );

    // Revisions: the approved and normal ones, oldest first, with editors and
    // summaries; the suggestion awaiting review, the unreadable one and the
    // tag's are not.
    let revisions = store.export_revisions(1, 20).await.unwrap();
    let of_q1: Vec<_> = revisions
        .iter()
        .filter(|r| r.post_id == PostId(2))
        .collect();
    assert_eq!(of_q1.len(), 2);
    assert_eq!(of_q1[0].title.as_deref(), Some("How do lifetimes work"));
    assert_eq!(of_q1[0].tags.as_deref(), Some(&["rustlang".to_owned()][..]));
    assert_eq!(of_q1[0].editor_id, UserId(2));
    assert_eq!(of_q1[1].title.as_deref(), Some("How do lifetimes work?"));
    assert_eq!(of_q1[1].summary, "Clarified the title");
    assert_eq!(of_q1[1].editor_id, UserId(1));
    let of_a1: Vec<_> = revisions
        .iter()
        .filter(|r| r.post_id == PostId(3))
        .collect();
    assert_eq!(of_a1.len(), 1);
    assert_eq!(
        of_a1[0].body.as_deref(),
        Some("A lifetime names how long a borrow lasts.")
    );
    let history = summary.file("revision").unwrap();
    assert_eq!(history.read, 6, "the tag's revision is not read");
    assert_eq!(history.added, 3);
    assert_eq!(
        history.skipped_for("a suggested edit awaiting review or rejected"),
        1
    );
    assert_eq!(
        history.skipped_for("its content is not a post Answer wrote"),
        1
    );
    assert_eq!(history.skipped_for("of a post not in the database"), 1);

    // Comments: under their posts, the deleted one deleted, the orphan skipped.
    let comments = store.export_comments(i64::MIN, 100).await.unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].id.0, 12);
    assert_eq!(comments[0].post_id, PostId(2));
    assert!(comments[0].body.html().contains("<em>edition</em>"));
    assert!(
        comments[0]
            .body
            .markdown()
            .ends_with("`https://answer.example.org/questions/10010000000000004`"),
        "code keeps its address"
    );
    assert_eq!(comments[0].score, 1);
    assert!(comments[1].deleted_at.is_some());
    assert_eq!(
        summary
            .file("comment")
            .unwrap()
            .skipped_for("under a post not in the database"),
        1
    );

    // Votes: the voters' own rows become their votes; the author's side, the
    // cancelled vote, the self-vote and the absent member's are not.
    let votes = store.export_votes(i64::MIN, 100).await.unwrap();
    let mut cast: Vec<(i64, i64)> = votes.iter().map(|v| (v.post_id.0, v.vote_type)).collect();
    cast.sort();
    assert_eq!(cast, [(2, 2), (3, 2), (3, 3)]);
    let admin_votes = store.viewer_votes(UserId(1), PostId(2)).await.unwrap();
    assert_eq!(admin_votes.on(PostId(2)), VoteValue::Up);
    assert_eq!(admin_votes.on(PostId(3)), VoteValue::Down);
    assert!(admin_votes.comments.is_empty());
    let alice_votes = store.viewer_votes(UserId(2), PostId(2)).await.unwrap();
    assert_eq!(alice_votes.on(PostId(2)), VoteValue::None);
    assert_eq!(alice_votes.on(PostId(3)), VoteValue::Up);
    assert_eq!(alice_votes.comments, [CommentId(12)]);
    let bob_votes = store.viewer_votes(UserId(3), PostId(2)).await.unwrap();
    assert_eq!(
        bob_votes.on(PostId(2)),
        VoteValue::None,
        "his vote was cancelled"
    );
    assert_eq!(bob_votes.on(PostId(3)), VoteValue::None, "his own answer");
    let activity = summary.file("activity (votes)").unwrap();
    assert_eq!(
        activity.read, 6,
        "neither the authors' rows nor the cancelled vote are read"
    );
    assert_eq!(activity.added, 4, "three on posts, one on a comment");
    assert_eq!(activity.skipped_for("on the voter's own post"), 1);
    assert_eq!(activity.skipped_for("by a member not in the database"), 1);

    // Badges: every award of a badge not deleted, its class and its post.
    let badges = store.export_badges(i64::MIN, 100).await.unwrap();
    let mut awarded: Vec<(i64, String, String, Option<i64>)> = badges
        .iter()
        .map(|b| {
            (
                b.user_id.0,
                b.name.clone(),
                b.class.clone(),
                b.post_id.map(|p| p.0),
            )
        })
        .collect();
    awarded.sort();
    assert_eq!(
        awarded,
        [
            (1, "Helper".into(), "gold".into(), None),
            (2, "Nice Question".into(), "bronze".into(), Some(2)),
        ]
    );

    // Linked questions, from a question and from an answer.
    let linked = store.export_linked(1, 20).await.unwrap();
    assert_eq!(linked, [(PostId(3), PostId(4)), (PostId(4), PostId(2))]);
    assert_eq!(
        summary
            .file("question_link")
            .unwrap()
            .skipped_for("between posts not both in the database"),
        1
    );
    let said = summary.to_string();
    assert!(said.contains("skipped 1: to a question not in the database (id 10020000000000015)"));

    // A second run adds nothing and says so.
    let again = import(store, source).await.unwrap();
    for (table, file) in &again.files {
        assert_eq!(file.added, 0, "{table} added rows again");
    }
    assert_eq!(again.file("question").unwrap().already, 5);
    assert_eq!(again.posts_added, 0);
    assert_eq!(all_posts(store.as_ref()).await.len(), 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_not_an_answer_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = store_on("sqlite").await.unwrap();

    let missing = dir.path().join("nothing.db");
    let err = import(&site.store, &missing.display().to_string())
        .await
        .unwrap_err();
    assert!(err.contains("there is no such file"), "{err}");

    // Another program's SQLite file: the tables it lacks are named.
    let other = dir.path().join("other.db");
    let url = format!("sqlite://{}?mode=rwc", other.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY); CREATE TABLE tag (id INTEGER)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let err = import(&site.store, &other.display().to_string())
        .await
        .unwrap_err();
    assert!(err.contains("is not an Apache Answer database"), "{err}");
    assert!(
        err.contains("user, question, answer, comment, tag_rel"),
        "{err}"
    );
    assert!(
        !err.contains("tag,"),
        "the table it has is not named: {err}"
    );

    // Not a database at all.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just words").unwrap();
    let err = import(&site.store, &text.display().to_string())
        .await
        .unwrap_err();
    assert!(err.starts_with("cannot read"), "{err}");

    // Nothing was written by any of them.
    assert_eq!(site.store.content_counts().await.unwrap(), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_with_content_of_its_own_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = answer_sqlite(dir.path()).await;
    let site = store_on("sqlite").await.unwrap();
    small_dump(dir.path());
    import_in_batches(&site.store, dir.path(), 100)
        .await
        .unwrap();
    let before = site.store.content_counts().await.unwrap();
    let err = import(&site.store, &source).await.unwrap_err();
    assert!(err.contains("already has"), "{err}");
    assert_eq!(site.store.content_counts().await.unwrap(), before);
}
