//! Helpers for the import and export tests: stores on both engines, the sample dump,
//! small hand-written dumps and counts read back from a store.

use ponder_exchange::{ImportOptions, ImportSummary, NoProgress, import_stackexchange};
use ponder_store::conformance::TestStore;
use ponder_store::{BulkPost, PostKind, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A fresh store on `engine` ("sqlite" or "postgres"), or `None` when PostgreSQL is
/// not configured (outside CI).
pub async fn store_on(engine: &str) -> Option<TestStore> {
    match engine {
        "sqlite" => ponder_store_sqlite::testing::fresh_store().await,
        _ => ponder_store_postgres::testing::fresh_store().await,
    }
}

/// The sample dump beside the checkout, if it is there.
pub fn sample() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/stackexchange/french.meta.stackexchange.com");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: no sample dump at {}", dir.display());
        None
    }
}

/// Imports `dir` with default options.
pub async fn import(store: &Arc<dyn Store>, dir: &Path) -> Result<ImportSummary, String> {
    import_in_batches(store, dir, ImportOptions::new(dir).batch_rows).await
}

/// [`import`] with `batch_rows` rows a batch: small ones keep several batches in
/// flight at once.
pub async fn import_in_batches(
    store: &Arc<dyn Store>,
    dir: &Path,
    batch_rows: usize,
) -> Result<ImportSummary, String> {
    let options = ImportOptions {
        batch_rows,
        ..ImportOptions::new(dir)
    };
    import_stackexchange(Arc::clone(store), &options, &NoProgress)
        .await
        .map_err(|e| e.to_string())
}

/// Every post in the store, in id order.
pub async fn all_posts(store: &dyn Store) -> Vec<BulkPost> {
    let mut posts = Vec::new();
    let mut after = i64::MIN;
    loop {
        let page = store.export_posts(after, 500).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id.0;
        posts.extend(page);
    }
    posts
}

/// (questions, answers) in the store.
pub async fn post_kinds(store: &dyn Store) -> (usize, usize) {
    let posts = all_posts(store).await;
    let questions = posts
        .iter()
        .filter(|p| p.kind == PostKind::Question)
        .count();
    (questions, posts.len() - questions)
}

/// Users in the store that are not deleted (placeholders are).
pub async fn live_users(store: &dyn Store) -> usize {
    store
        .export_users(i64::MIN, 100_000)
        .await
        .unwrap()
        .iter()
        .filter(|u| u.deleted_at.is_none())
        .count()
}

/// `<row .../>` lines of `file` in a dump folder.
pub fn rows_in(dir: &Path, file: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(file))
        .unwrap()
        .lines()
        .filter(|l| l.trim_start().starts_with("<row"))
        .map(str::to_owned)
        .collect()
}

/// Writes a dump file with the official byte conventions around `rows`.
pub fn write_file(dir: &Path, file: &str, root: &str, rows: &[&str]) {
    let mut text = format!("\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<{root}>\r\n");
    for row in rows {
        text.push_str("  ");
        text.push_str(row);
        text.push_str("\r\n");
    }
    text.push_str(&format!("</{root}>"));
    std::fs::write(dir.join(file), text).unwrap();
}

/// A small dump: two users (user 9 is absent and becomes a placeholder), a closed
/// question with an accepted answer, a duplicate of it, comments, a badge.
pub fn small_dump(dir: &Path) {
    write_file(
        dir,
        "Users.xml",
        "users",
        &[
            r#"<row Id="-1" Reputation="1" CreationDate="2011-08-17T18:34:28.000" DisplayName="Community" />"#,
            r#"<row Id="2" Reputation="101" CreationDate="2011-08-17T19:30:44.000" DisplayName="Ann Asker" LastAccessDate="2013-09-24T12:54:23.447" AboutMe="&lt;p&gt;Hi &lt;script&gt;alert(1)&lt;/script&gt;there&lt;/p&gt;" />"#,
        ],
    );
    write_file(
        dir,
        "Tags.xml",
        "tags",
        &[
            r#"<row Id="1" TagName="grammar" Count="2" ExcerptPostId="7" />"#,
            r#"<row Id="2" TagName="verbs" Count="1" />"#,
        ],
    );
    write_file(
        dir,
        "Posts.xml",
        "posts",
        &[
            r#"<row Id="1" PostTypeId="1" AcceptedAnswerId="3" CreationDate="2011-08-17T20:18:56.507" Score="11" ViewCount="295" Body="&lt;p&gt;Which &lt;b&gt;verb&lt;/b&gt;?&lt;/p&gt;&lt;img src=&quot;javascript:x&quot; onerror=&quot;y()&quot;&gt;" OwnerUserId="2" LastEditDate="2012-01-01T00:00:00.000" LastActivityDate="2012-01-01T00:00:00.000" Title="Which verb goes here?" Tags="&lt;grammar&gt;&lt;verbs&gt;" AnswerCount="1" CommentCount="1" ClosedDate="2013-12-05T09:59:54.787" />"#,
            r#"<row Id="3" PostTypeId="2" ParentId="1" CreationDate="2011-08-18T10:00:00.000" Score="4" Body="&lt;p&gt;This one.&lt;/p&gt;" OwnerUserId="9" LastActivityDate="2011-08-18T10:00:00.000" CommentCount="0" />"#,
            r#"<row Id="4" PostTypeId="1" CreationDate="2011-08-19T10:00:00.000" Score="0" ViewCount="3" Body="&lt;p&gt;Same question.&lt;/p&gt;" OwnerDisplayName="gone" LastActivityDate="2011-08-19T10:00:00.000" Title="Which verb, again?" Tags="|grammar|" AnswerCount="0" CommentCount="0" ClosedDate="2011-08-20T10:00:00.000" />"#,
            r#"<row Id="5" PostTypeId="2" ParentId="404" CreationDate="2011-08-19T10:00:00.000" Score="0" Body="&lt;p&gt;Orphan.&lt;/p&gt;" OwnerUserId="2" LastActivityDate="2011-08-19T10:00:00.000" />"#,
            r#"<row Id="7" PostTypeId="4" CreationDate="2011-08-19T10:00:00.000" Score="0" Body="Questions on grammar &amp; usage." LastActivityDate="2011-08-19T10:00:00.000" />"#,
        ],
    );
    write_file(
        dir,
        "PostHistory.xml",
        "posthistory",
        &[
            r#"<row Id="1" PostHistoryTypeId="2" PostId="1" CreationDate="2011-08-17T20:18:56.507" UserId="2" Text="Which **verb**?" />"#,
            r#"<row Id="2" PostHistoryTypeId="5" PostId="1" CreationDate="2012-01-01T00:00:00.000" UserId="2" Text="Which **verb**?&#xD;&#xA;&#xD;&#xA;![x](javascript:x)" />"#,
            r#"<row Id="3" PostHistoryTypeId="10" PostId="1" CreationDate="2013-12-05T09:59:54.787" UserId="2" Comment="105" />"#,
            r#"<row Id="4" PostHistoryTypeId="10" PostId="4" CreationDate="2011-08-20T10:00:00.000" UserId="2" Comment="101" />"#,
            r#"<row Id="5" PostHistoryTypeId="2" PostId="999" CreationDate="2011-08-20T10:00:00.000" UserId="2" Text="gone" />"#,
        ],
    );
    write_file(
        dir,
        "Comments.xml",
        "comments",
        &[
            r#"<row Id="1" PostId="1" Score="2" Text="Try *this* &lt;b&gt;bold&lt;/b&gt;" CreationDate="2011-08-17T20:32:41.193" UserId="2" />"#,
            r#"<row Id="2" PostId="3" Score="0" Text="anonymous" CreationDate="2011-08-18T20:32:41.193" UserDisplayName="someone" />"#,
            r#"<row Id="3" PostId="404" Score="0" Text="on nothing" CreationDate="2011-08-18T20:32:41.193" UserId="2" />"#,
        ],
    );
    write_file(
        dir,
        "Votes.xml",
        "votes",
        &[
            r#"<row Id="1" PostId="1" VoteTypeId="2" CreationDate="2011-08-17T00:00:00.000" />"#,
            r#"<row Id="2" PostId="3" VoteTypeId="1" CreationDate="2011-08-18T00:00:00.000" />"#,
        ],
    );
    write_file(
        dir,
        "PostLinks.xml",
        "postlinks",
        &[
            r#"<row Id="1" CreationDate="2011-08-20T10:00:00.000" PostId="4" RelatedPostId="1" LinkTypeId="3" />"#,
            r#"<row Id="2" CreationDate="2011-08-20T10:00:00.000" PostId="4" RelatedPostId="1" LinkTypeId="1" />"#,
        ],
    );
    write_file(
        dir,
        "Badges.xml",
        "badges",
        &[
            r#"<row Id="1" UserId="2" Name="Autobiographer" Date="2011-08-17T19:49:15.197" Class="3" TagBased="False" />"#,
            r#"<row Id="2" UserId="2" Name="Autobiographer" Date="2011-09-17T19:49:15.197" Class="3" TagBased="False" />"#,
            r#"<row Id="3" UserId="9" Name="Student" Date="2011-08-17T19:49:15.197" Class="3" TagBased="False" />"#,
        ],
    );
}

/// The value of attribute `name` in a dump row, as written.
pub fn attribute<'r>(row: &'r str, name: &str) -> Option<&'r str> {
    let start = row.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = row[start..].find('"')?;
    Some(&row[start..start + len])
}
