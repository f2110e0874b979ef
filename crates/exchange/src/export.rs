//! The exporter: writes the whole site as a Stack Exchange dump folder, page by page,
//! in the attribute order of the official files.
//!
//! Deleted accounts are left out, as the official dumps leave them out (their posts
//! keep the id, which an import turns back into a deleted-user placeholder). Deleted
//! posts and comments carry a `DeletionDate`, the name the Stack Exchange Data
//! Explorer gives it. PostHistory holds each post's revisions (for each, the
//! body, title and tags rows it changed; for a post without revisions, its current
//! Markdown source alone) and each closed question's close event; PostLinks holds duplicate links and
//! linked questions (dated as the post that links). Votes are the imported
//! ones with their ids, then the site's own (ids after the largest imported one),
//! with no voter but for favourites and bounties and only their day, as in the
//! official files.

use crate::Progress;
use crate::dates::{self, Millis, slot};
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
    let last_post = export_posts(store, dir, &mut summary, &mut done, progress).await?;
    export_comments(store, dir, &mut summary).await?;
    export_tags(store, dir, last_post, &mut summary).await?;
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
            let millis = Millis::from_stored(u.time_millis);
            let created = dates::format_precise(u.created_at, millis.get(slot::CREATED));
            let seen = u
                .last_seen_at
                .map(|t| dates::format_precise(t, millis.get(slot::USER_LAST_ACCESS)));
            let about = Some(u.about.html()).filter(|a| !a.is_empty());
            let profile = u.profile.clone().unwrap_or_default();
            let number = |n: Option<i64>| n.map(|n| n.to_string());
            let (views, up, down) = (
                number(profile.views),
                number(profile.up_votes),
                number(profile.down_votes),
            );
            let account = number(profile.account_id);
            out.row(&[
                ("Id", Some(&id)),
                ("Reputation", Some(&reputation)),
                ("CreationDate", Some(&created)),
                ("DisplayName", Some(&u.display_name)),
                ("LastAccessDate", seen.as_deref()),
                ("WebsiteUrl", profile.website_url.as_deref()),
                ("Location", profile.location.as_deref()),
                ("AboutMe", about),
                ("Views", views.as_deref()),
                ("UpVotes", up.as_deref()),
                ("DownVotes", down.as_deref()),
                ("ProfileImageUrl", profile.profile_image.as_deref()),
                ("AccountId", account.as_deref()),
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
) -> Result<i64, ExchangeError> {
    let mut posts = RowWriter::create(&dir.join("Posts.xml"), "posts")?;
    let mut history = RowWriter::create(&dir.join("PostHistory.xml"), "posthistory")?;
    let mut links = RowWriter::create(&dir.join("PostLinks.xml"), "postlinks")?;
    let (mut after, mut rows, mut link_id, mut history_rows) = (i64::MIN, 0u64, 0u64, 0u64);
    let mut newest = 0;
    // An imported revision's rows have the ids the dump gave them, where kept
    // and no larger than the largest imported revision's (no other row can have
    // those); a revision's first history row otherwise has the revision's id
    // (which an import keeps); posts without revisions get one each, with the
    // ids after the largest; the other rows take the ids after those, so that
    // exporting a site imported from an export numbers every row as that export
    // did.
    let ids = store.revision_ids().await?;
    let mut bare_id = ids.largest;
    let mut history_id = ids.largest + ids.posts_without_history;
    loop {
        let page = store.export_posts(after, PAGE).await?;
        let (Some(first), Some(last)) = (page.first(), page.last()) else {
            break;
        };
        let revisions = store.export_revisions(first.id.0, last.id.0).await?;
        let mut revisions = revisions.as_slice();
        let linked = store.export_linked(first.id.0, last.id.0).await?;
        let mut linked = linked.as_slice();
        after = last.id.0;
        *done += page.len() as u64;
        for p in &page {
            newest = newest.max(p.created_at);
            let question = p.kind == PostKind::Question;
            let id = p.id.0.to_string();
            let text = |n: i64| Some(n.to_string());
            let accepted = p.accepted_answer_id.and_then(|a| text(a.0));
            let parent = p.parent_id.and_then(|a| text(a.0));
            let millis = Millis::from_stored(p.time_millis);
            let at = |slot: u32| move |t: i64| dates::format_precise(t, millis.get(slot));
            let created = at(slot::CREATED)(p.created_at);
            let deleted = p.deleted_at.map(at(slot::POST_DELETED));
            let score = p.score.to_string();
            let views = question.then(|| p.view_count.to_string());
            let owner = mapping::owner_attribute(p.author_id);
            let edited = p.edited_at.map(at(slot::POST_EDITED));
            let activity = at(slot::POST_ACTIVITY)(p.last_activity_at);
            let tags = question.then(|| mapping::format_tags(&p.tags));
            let answers = question.then(|| p.answer_count.to_string());
            let comments = p.comment_count.to_string();
            let closed = p.closed_at.map(at(slot::POST_CLOSED));
            let favourites = p.favorite_count.map(|n| n.to_string());
            let community = p.community_owned_at.map(at(slot::POST_COMMUNITY_OWNED));
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
                ("OwnerUserId", owner.as_deref()),
                ("OwnerDisplayName", p.owner_name.as_deref()),
                ("LastEditDate", edited.as_deref()),
                ("LastActivityDate", Some(&activity)),
                ("Title", question.then_some(p.title.as_str())),
                ("Tags", tags.as_deref()),
                ("AnswerCount", answers.as_deref()),
                ("CommentCount", Some(&comments)),
                ("FavoriteCount", favourites.as_deref()),
                ("ClosedDate", closed.as_deref()),
                ("CommunityOwnedDate", community.as_deref()),
                ("ContentLicense", p.licence.as_deref()),
            ])?;
            rows += 1;

            let own = revisions.iter().take_while(|r| r.post_id == p.id).count();
            let (of_post, rest) = revisions.split_at(own);
            revisions = rest;
            let made;
            let of_post = if of_post.is_empty() {
                // A post loaded without its history: its state as its only revision.
                bare_id += 1;
                made = [ponder_store::BulkRevision {
                    id: bare_id,
                    post_id: p.id,
                    editor_id: p.author_id,
                    title: Some(p.title.clone()),
                    body: Some(p.body.markdown().to_owned()),
                    tags: Some(p.tags.clone()),
                    summary: String::new(),
                    created_at: p.created_at,
                    guid: None,
                    rollback: false,
                    imported: false,
                    row_ids: [None; 3],
                    licence: None,
                    // Written with the post's creation time, whose slot the
                    // revision's shares.
                    time_millis: p.time_millis,
                    editor_name: None,
                }];
                &made[..]
            } else {
                of_post
            };
            history_rows += write_revisions(
                &mut history,
                (&mut history_id, ids.largest_imported),
                question,
                of_post,
            )?;
            if let Some(closed) = &closed {
                history_id += 1;
                history_rows += 1;
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
            let own = linked.iter().take_while(|(post, _)| *post == p.id).count();
            let (of_post, rest) = linked.split_at(own);
            linked = rest;
            for (_, question) in of_post {
                link_id += 1;
                links.row(&[
                    ("Id", Some(&link_id.to_string())),
                    ("CreationDate", Some(&created)),
                    ("PostId", Some(&id)),
                    ("RelatedPostId", Some(&question.0.to_string())),
                    ("LinkTypeId", Some("1")),
                ])?;
            }
        }
        progress.update("Posts.xml", *done);
    }
    // Tag wiki excerpts and wikis, as posts after the site's own.
    let last_post = after.max(0);
    let (mut next, mut tags_after, dated) = (last_post, i64::MIN, dates::format(newest));
    loop {
        let page = store.export_tags(tags_after, PAGE).await?;
        let Some(last) = page.last() else { break };
        tags_after = last.id;
        for tag in &page {
            let (excerpt, wiki) = wiki_post_ids(tag, &mut next);
            let excerpt = excerpt.map(|id| {
                let text = tag.description.clone();
                (id, "4", ponder_core::text::escape_html(&text), text)
            });
            let wiki = wiki.map(|id| {
                let body = &tag.wiki;
                (id, "5", body.html().to_owned(), body.markdown().to_owned())
            });
            for (id, kind, html, markdown) in excerpt.into_iter().chain(wiki) {
                let id = id.to_string();
                posts.row(&[
                    ("Id", Some(id.as_str())),
                    ("PostTypeId", Some(kind)),
                    ("CreationDate", Some(dated.as_str())),
                    ("Score", Some("0")),
                    ("Body", Some(html.as_str())),
                    ("LastActivityDate", Some(dated.as_str())),
                ])?;
                history_id += 1;
                history.row(&[
                    ("Id", Some(history_id.to_string().as_str())),
                    ("PostHistoryTypeId", Some("2")),
                    ("PostId", Some(id.as_str())),
                    ("CreationDate", Some(dated.as_str())),
                    ("Text", Some(markdown.as_str())),
                ])?;
                rows += 1;
                history_rows += 1;
            }
        }
    }
    posts.finish()?;
    history.finish()?;
    links.finish()?;
    summary.files.push(("Posts.xml".into(), rows));
    summary.files.push(("PostHistory.xml".into(), history_rows));
    summary.files.push(("PostLinks.xml".into(), link_id));
    Ok(last_post)
}

/// The post ids a tag's wiki excerpt and wiki get in an export, counting on from
/// `next`: an excerpt for a tag with a description, a wiki for one with a wiki.
/// Posts.xml and Tags.xml count alike, in tag id order.
fn wiki_post_ids(tag: &ponder_store::BulkTag, next: &mut i64) -> (Option<i64>, Option<i64>) {
    let mut take = |has: bool| {
        has.then(|| {
            *next += 1;
            *next
        })
    };
    let excerpt = take(!tag.description.is_empty());
    let wiki = take(!tag.wiki.markdown().is_empty());
    (excerpt, wiki)
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

/// Writes a post's revisions as the dump's history rows: an imported revision's
/// rows as the dump had them (with its RevisionGUID); for the site's own, a row for
/// each of the body, title and tags it changed (every one for a post's first
/// revision), with a RevisionGUID made from the revision's id. An imported
/// revision's rows have the ids the dump gave them where those were kept, in
/// their order, when none is above `kept_up_to` (where ids of rows numbered
/// anew begin); otherwise a revision's first row has the revision's id (which an
/// import keeps), the others ids after `next_id`.
fn write_revisions(
    history: &mut RowWriter<BufWriter<File>>,
    (next_id, kept_up_to): (&mut i64, i64),
    question: bool,
    revisions: &[ponder_store::BulkRevision],
) -> Result<u64, ExchangeError> {
    let mut written = 0;
    // The post's title, body and tags so far.
    let mut state: [Option<String>; 3] = [None, None, None];
    for (at, r) in revisions.iter().enumerate() {
        let tags = r.tags.as_deref().map(mapping::format_tags);
        let fields = [r.title.clone(), r.body.clone(), tags];
        let kinds: [[&str; 3]; 3] = [["1", "4", "7"], ["2", "5", "8"], ["3", "6", "9"]];
        let column = match (at, r.rollback) {
            (_, true) => 2,
            (0, false) => 0,
            _ => 1,
        };
        // Body first, as the dumps order a revision's rows, unless the dump's
        // own row ids were kept: then each row has its id, in their order.
        let mut rows: Vec<(Option<i64>, &str, String)> = Vec::with_capacity(3);
        for field in [1, 0, 2] {
            let Some(value) = &fields[field] else {
                continue;
            };
            let wanted =
                r.imported || (field == 1 || question) && state[field].as_ref() != Some(value);
            if wanted {
                rows.push((r.row_ids[field], kinds[field][column], value.clone()));
            }
            state[field] = Some(value.clone());
        }
        let kept = rows
            .iter()
            .all(|(id, _, _)| id.is_some_and(|id| id <= kept_up_to));
        if kept {
            rows.sort_by_key(|(id, _, _)| *id);
        } else {
            rows.iter_mut().for_each(|(id, _, _)| *id = None);
        }
        if rows.is_empty() {
            rows.push((
                None,
                kinds[1][column],
                fields[1].clone().unwrap_or_default(),
            ));
        }
        let post = r.post_id.0.to_string();
        let guid = r
            .guid
            .clone()
            .unwrap_or_else(|| format!("00000000-0000-0000-0000-{:012x}", r.id));
        let when = dates::format_precise(
            r.created_at,
            Millis::from_stored(r.time_millis).get(slot::CREATED),
        );
        let editor = mapping::owner_attribute(r.editor_id);
        let comment = Some(r.summary.as_str()).filter(|s| !s.is_empty());
        for (i, (kept, kind, text)) in rows.into_iter().enumerate() {
            let id = match kept {
                Some(id) => id,
                None if i == 0 => r.id,
                None => {
                    *next_id += 1;
                    *next_id
                }
            };
            let id = id.to_string();
            written += 1;
            history.row(&[
                ("Id", Some(id.as_str())),
                ("PostHistoryTypeId", Some(kind)),
                ("PostId", Some(post.as_str())),
                ("RevisionGUID", Some(guid.as_str())),
                ("CreationDate", Some(when.as_str())),
                ("UserId", editor.as_deref()),
                ("UserDisplayName", r.editor_name.as_deref()),
                ("Comment", comment),
                ("Text", Some(text.as_str())),
                ("ContentLicense", r.licence.as_deref()),
            ])?;
        }
    }
    Ok(written)
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
            let millis = Millis::from_stored(c.time_millis);
            out.row(&[
                ("Id", Some(&c.id.0.to_string())),
                ("PostId", Some(&c.post_id.0.to_string())),
                ("Score", Some(&c.score.to_string())),
                ("Text", Some(c.body.markdown())),
                (
                    "CreationDate",
                    Some(&dates::format_precise(
                        c.created_at,
                        millis.get(slot::CREATED),
                    )),
                ),
                (
                    "DeletionDate",
                    c.deleted_at
                        .map(|t| dates::format_precise(t, millis.get(slot::COMMENT_DELETED)))
                        .as_deref(),
                ),
                ("UserDisplayName", c.owner_name.as_deref()),
                ("UserId", mapping::owner_attribute(c.author_id).as_deref()),
                ("ContentLicense", c.licence.as_deref()),
            ])?;
            Ok(true)
        },
    )
    .await
}

async fn export_tags<S: BulkStore + ?Sized>(
    store: &S,
    dir: &Path,
    last_post: i64,
    summary: &mut ExportSummary,
) -> Result<(), ExchangeError> {
    let mut next = last_post;
    write_file(
        dir,
        ("Tags.xml", "tags"),
        summary,
        |after| store.export_tags(after, PAGE),
        |t| t.id,
        |out, t| {
            let (excerpt, wiki) = wiki_post_ids(t, &mut next);
            let (excerpt, wiki) = (excerpt.map(|i| i.to_string()), wiki.map(|i| i.to_string()));
            out.row(&[
                ("Id", Some(&t.id.to_string())),
                ("TagName", Some(&t.name)),
                ("Count", Some(&t.question_count.to_string())),
                ("ExcerptPostId", excerpt.as_deref()),
                ("WikiPostId", wiki.as_deref()),
                ("IsModeratorOnly", t.moderator_only.then_some("True")),
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
            let user = v.user_id.map(|u| u.0.to_string());
            let bounty = v.bounty.map(|b| b.to_string());
            out.row(&[
                ("Id", Some(&v.id.to_string())),
                ("PostId", Some(&v.post_id.0.to_string())),
                ("VoteTypeId", Some(&v.vote_type.to_string())),
                ("UserId", user.as_deref()),
                ("CreationDate", Some(&dates::format_day(v.created_at))),
                ("BountyAmount", bounty.as_deref()),
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
                (
                    "Date",
                    Some(&dates::format_precise(
                        b.awarded_at,
                        Millis::from_stored(b.time_millis).get(slot::CREATED),
                    )),
                ),
                ("Class", Some(mapping::badge_class_code(&b.class))),
                ("TagBased", Some(if b.tag_based { "True" } else { "False" })),
            ])?;
            Ok(true)
        },
    )
    .await
}
