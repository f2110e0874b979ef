//! The exporter: writes the whole site as a Stack Exchange dump folder, page by page,
//! in the attribute order of the official files.
//!
//! Deleted accounts are left out, as the official dumps leave them out (their posts
//! keep the id, which an import turns back into a deleted-user placeholder). Deleted
//! posts and comments carry a `DeletionDate`, the name the Stack Exchange Data
//! Explorer gives it. PostHistory holds each post's current Markdown source (an "edit
//! body" row when it was edited, else an "initial body" row) and each closed
//! question's close event; PostLinks holds duplicate links. Votes carry no voter and
//! only their day, as in the official files.

use crate::Progress;
use crate::dates;
use crate::error::ExchangeError;
use crate::id_set::IdSet;
use crate::mapping;
use ponder_dump::RowWriter;
use ponder_store::{BulkStore, PostKind, StoreResult};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Rows read from the store at a time.
const PAGE: u32 = 1_000;

/// How many rows each file got.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// By file name.
    pub files: Vec<(String, u64)>,
}

impl std::fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(name, rows)| format!("{name}: {rows} rows"))
            .collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Writes the site in `store` into `dir` (made if missing; files of the same names
/// are replaced).
pub async fn export_stackexchange<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<ExportSummary, ExchangeError> {
    std::fs::create_dir_all(dir).map_err(|source| ExchangeError::Create {
        path: dir.to_owned(),
        source,
    })?;
    let (users, posts) = store.content_counts().await?;
    progress.total((users + posts).max(0) as u64);
    let mut summary = ExportSummary::default();
    let mut done = 0u64;
    let exported_users = export_users(store, dir, &mut summary, &mut done, progress).await?;
    export_posts(store, dir, &mut summary, &mut done, progress).await?;
    export_comments(store, dir, &mut summary).await?;
    export_tags(store, dir, &mut summary).await?;
    export_votes(store, dir, &mut summary).await?;
    export_badges(store, dir, &exported_users, &mut summary).await?;
    Ok(summary)
}

async fn export_users<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    summary: &mut ExportSummary,
    done: &mut u64,
    progress: &dyn Progress,
) -> Result<IdSet, ExchangeError> {
    let mut out = RowWriter::create(&dir.join("Users.xml"), "users")?;
    let mut exported = IdSet::default();
    let (mut after, mut rows) = (i64::MIN, 0);
    loop {
        let page = store.export_users(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.0;
        *done += page.len() as u64;
        for u in page.iter().filter(|u| u.deleted_at.is_none()) {
            let id = u.id.0.to_string();
            let reputation = u.reputation.to_string();
            let created = dates::format(u.created_at);
            let seen = u.last_seen_at.map(dates::format);
            let about = Some(u.about.html()).filter(|a| !a.is_empty());
            out.row(&[
                ("Id", Some(&id)),
                ("Reputation", Some(&reputation)),
                ("CreationDate", Some(&created)),
                ("DisplayName", Some(&u.display_name)),
                ("LastAccessDate", seen.as_deref()),
                ("AboutMe", about),
            ])?;
            exported.insert(u.id.0);
            rows += 1;
        }
        progress.update("Users.xml", *done);
    }
    out.finish()?;
    summary.files.push(("Users.xml".into(), rows));
    Ok(exported)
}

async fn export_posts<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    summary: &mut ExportSummary,
    done: &mut u64,
    progress: &dyn Progress,
) -> Result<(), ExchangeError> {
    let mut posts = RowWriter::create(&dir.join("Posts.xml"), "posts")?;
    let mut history = RowWriter::create(&dir.join("PostHistory.xml"), "posthistory")?;
    let mut links = RowWriter::create(&dir.join("PostLinks.xml"), "postlinks")?;
    let (mut after, mut rows, mut history_id, mut link_id) = (i64::MIN, 0u64, 0u64, 0u64);
    loop {
        let page = store.export_posts(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.0;
        *done += page.len() as u64;
        for p in &page {
            let question = p.kind == PostKind::Question;
            let id = p.id.0.to_string();
            let text = |n: i64| Some(n.to_string());
            let accepted = p.accepted_answer_id.and_then(|a| text(a.0));
            let parent = p.parent_id.and_then(|a| text(a.0));
            let created = dates::format(p.created_at);
            let deleted = p.deleted_at.map(dates::format);
            let score = p.score.to_string();
            let views = question.then(|| p.view_count.to_string());
            let owner = p.author_id.0.to_string();
            let edited = p.edited_at.map(dates::format);
            let activity = dates::format(p.last_activity_at);
            let tags = question.then(|| mapping::format_tags(&p.tags));
            let answers = question.then(|| p.answer_count.to_string());
            let comments = p.comment_count.to_string();
            let closed = p.closed_at.map(dates::format);
            posts.row(&[
                ("Id", Some(&id)),
                ("PostTypeId", Some(if question { "1" } else { "2" })),
                ("AcceptedAnswerId", accepted.as_deref()),
                ("ParentId", parent.as_deref()),
                ("CreationDate", Some(&created)),
                ("DeletionDate", deleted.as_deref()),
                ("Score", Some(&score)),
                ("ViewCount", views.as_deref()),
                ("Body", Some(p.body.html())),
                ("OwnerUserId", Some(&owner)),
                ("LastEditDate", edited.as_deref()),
                ("LastActivityDate", Some(&activity)),
                ("Title", question.then_some(p.title.as_str())),
                ("Tags", tags.as_deref()),
                ("AnswerCount", answers.as_deref()),
                ("CommentCount", Some(&comments)),
                ("ClosedDate", closed.as_deref()),
            ])?;
            rows += 1;

            history_id += 1;
            let (kind, when) = match &edited {
                Some(edited) => ("5", edited),
                None => ("2", &created),
            };
            history.row(&[
                ("Id", Some(&history_id.to_string())),
                ("PostHistoryTypeId", Some(kind)),
                ("PostId", Some(&id)),
                ("CreationDate", Some(when)),
                ("UserId", Some(&owner)),
                ("Text", Some(p.body.markdown())),
            ])?;
            if let Some(closed) = &closed {
                history_id += 1;
                history.row(&[
                    ("Id", Some(&history_id.to_string())),
                    ("PostHistoryTypeId", Some("10")),
                    ("PostId", Some(&id)),
                    ("CreationDate", Some(closed)),
                    ("Comment", Some(mapping::close_reason_code(&p.close_reason))),
                ])?;
            }
            if let Some(original) = p.duplicate_of {
                link_id += 1;
                links.row(&[
                    ("Id", Some(&link_id.to_string())),
                    ("CreationDate", Some(closed.as_deref().unwrap_or(&created))),
                    ("PostId", Some(&id)),
                    ("RelatedPostId", Some(&original.0.to_string())),
                    ("LinkTypeId", Some("3")),
                ])?;
            }
        }
        progress.update("Posts.xml", *done);
    }
    posts.finish()?;
    history.finish()?;
    links.finish()?;
    summary.files.push(("Posts.xml".into(), rows));
    summary.files.push(("PostHistory.xml".into(), history_id));
    summary.files.push(("PostLinks.xml".into(), link_id));
    Ok(())
}

/// Writes one file from the pages `fetch` reads (each after the id of the last row
/// of the one before, as `id_of` tells); `write` writes a row, or leaves it out by
/// returning false. Records the file's row count in `summary`.
async fn write_file<T, Fut>(
    dir: &Path,
    (file, root): (&str, &str),
    summary: &mut ExportSummary,
    mut fetch: impl FnMut(i64) -> Fut,
    id_of: impl Fn(&T) -> i64,
    mut write: impl FnMut(&mut RowWriter<BufWriter<File>>, &T) -> Result<bool, ExchangeError>,
) -> Result<(), ExchangeError>
where
    Fut: Future<Output = StoreResult<Vec<T>>>,
{
    let mut out = RowWriter::create(&dir.join(file), root)?;
    let (mut after, mut rows) = (i64::MIN, 0);
    loop {
        let page = fetch(after).await?;
        let Some(last) = page.last() else { break };
        after = id_of(last);
        for row in &page {
            rows += u64::from(write(&mut out, row)?);
        }
    }
    out.finish()?;
    summary.files.push((file.into(), rows));
    Ok(())
}

async fn export_comments<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExchangeError> {
    write_file(
        dir,
        ("Comments.xml", "comments"),
        summary,
        |after| store.export_comments(after, PAGE),
        |c| c.id.0,
        |out, c| {
            out.row(&[
                ("Id", Some(&c.id.0.to_string())),
                ("PostId", Some(&c.post_id.0.to_string())),
                ("Score", Some(&c.score.to_string())),
                ("Text", Some(c.body.markdown())),
                ("CreationDate", Some(&dates::format(c.created_at))),
                ("DeletionDate", c.deleted_at.map(dates::format).as_deref()),
                ("UserId", Some(&c.author_id.0.to_string())),
            ])?;
            Ok(true)
        },
    )
    .await
}

async fn export_tags<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExchangeError> {
    write_file(
        dir,
        ("Tags.xml", "tags"),
        summary,
        |after| store.export_tags(after, PAGE),
        |t| t.id,
        |out, t| {
            out.row(&[
                ("Id", Some(&t.id.to_string())),
                ("TagName", Some(&t.name)),
                ("Count", Some(&t.question_count.to_string())),
            ])?;
            Ok(true)
        },
    )
    .await
}

async fn export_votes<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExchangeError> {
    write_file(
        dir,
        ("Votes.xml", "votes"),
        summary,
        |after| store.export_votes(after, PAGE),
        |v| v.id,
        |out, v| {
            out.row(&[
                ("Id", Some(&v.id.to_string())),
                ("PostId", Some(&v.post_id.0.to_string())),
                ("VoteTypeId", Some(if v.value > 0 { "2" } else { "3" })),
                ("CreationDate", Some(&dates::format_day(v.created_at))),
            ])?;
            Ok(true)
        },
    )
    .await
}

async fn export_badges<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    users: &IdSet,
    summary: &mut ExportSummary,
) -> Result<(), ExchangeError> {
    // Badges of accounts left out (deleted ones) are left out too.
    write_file(
        dir,
        ("Badges.xml", "badges"),
        summary,
        |after| store.export_badges(after, PAGE),
        |b| b.id,
        |out, b| {
            if !users.contains(b.user_id.0) {
                return Ok(false);
            }
            out.row(&[
                ("Id", Some(&b.id.to_string())),
                ("UserId", Some(&b.user_id.0.to_string())),
                ("Name", Some(&b.name)),
                ("Date", Some(&dates::format(b.awarded_at))),
                ("Class", Some(mapping::badge_class_code(&b.class))),
                ("TagBased", Some("False")),
            ])?;
            Ok(true)
        },
    )
    .await
}
