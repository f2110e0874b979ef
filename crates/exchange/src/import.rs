//! The importer: reads a Stack Exchange dump folder file by file, one row at a time,
//! and loads it into a store in batches, keeping ids.
//!
//! Order: Users, Tags, Posts, PostHistory, Comments, Votes, PostLinks, Badges, then
//! accepted answers and duplicate links (whose targets may come later in Posts.xml)
//! and a recount. Each batch is one transaction whose rows are skipped if their id is
//! taken, so running an import again adds only what a stopped run had not. While one
//! batch is written, up to two more are read and sanitized: the store takes them in
//! order, one after another, each after the one before it succeeded.
//!
//! Long on purpose: the importer is one pipeline (read, map, batch, write, link)
//! whose stages share the Importer's state and order; split, each part would need
//! all of it.

use crate::Progress;
use crate::attributes;
use crate::dates::{self, Millis, slot};
use crate::error::ExchangeError;
use crate::id_set::IdSet;
use crate::images::{self, ImageCopier};
use crate::links::{LinkRewriter, may_link};
use crate::mapping;
use crate::sources::Sources;
use crate::summary::{FileSummary, ImageSummary, ImportSummary};
use ponder_core::markdown;
use ponder_core::markdown::SafeHtml;
use ponder_core::{CategoryId, CommentId, PostId, UserId};
use ponder_dump::{DumpError, Problem, Row, RowReader};
use ponder_store::{
    BulkBadge, BulkBatch, BulkComment, BulkLoaded, BulkPost, BulkRevision, BulkStore, BulkTag,
    BulkUser, BulkVote, NewCategory, PostBody, PostKind, ReadStore, RenderedText,
    RenderedTextStore, StoreResult, StoredText, WriteStore,
};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Batches handed to the store and not yet counted: one being written and one
/// waiting for it, while the reader fills the next. Deeper than one so that a batch
/// slower to read than to write (or the other way round) leaves neither side idle.
const IN_FLIGHT: usize = 2;

/// Files every dump has had since 2009.
const REQUIRED: [&str; 4] = ["Users.xml", "Posts.xml", "Comments.xml", "Votes.xml"];
/// The order files are read in: users and tags before the posts that name them,
/// posts before what refers to them. Tags.xml (from 2014 on), PostHistory.xml,
/// PostLinks.xml and Badges.xml are read when present; without Tags.xml the tags
/// are made from the questions' own.
pub(crate) const ORDER: [&str; 8] = [
    "Users.xml",
    "Tags.xml",
    "Posts.xml",
    "PostHistory.xml",
    "Comments.xml",
    "Votes.xml",
    "PostLinks.xml",
    "Badges.xml",
];
/// Revisions kept open for more of their history rows: a revision's rows can be
/// interleaved with other posts' (ids 592 and 594 of the French Language Meta
/// sample, with 593 between them).
const OPEN_REVISIONS: usize = 64;
/// The longest tag description kept from a tag wiki excerpt, in characters.
pub(crate) const DESCRIPTION_CHARS: usize = 500;

/// What to import, and how.
#[derive(Clone)]
pub struct ImportOptions {
    /// The dump folder.
    pub dir: PathBuf,
    /// The category for every imported question (made if missing); by default one
    /// named after the folder.
    pub category: Option<String>,
    /// Rows per transaction.
    pub batch_rows: usize,
    /// The original site's host (`french.meta.stackexchange.com`), whose links to
    /// imported posts and users are made local; by default the folder's name when
    /// it is a host name.
    pub original_site: Option<String>,
    /// What copies the pictures of imported posts from other hosts into the site
    /// (`--fetch-images`); `None` leaves their addresses as they are.
    pub images: Option<Arc<dyn ImageCopier>>,
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("dir", &self.dir)
            .field("category", &self.category)
            .field("batch_rows", &self.batch_rows)
            .field("original_site", &self.original_site)
            .field("images", &self.images.is_some())
            .finish()
    }
}

impl ImportOptions {
    /// Options for importing `dir` with the defaults.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            category: None,
            batch_rows: 5_000,
            original_site: None,
            images: None,
        }
    }
}

/// The ids of the texts that may link to the original site ([`may_link`]), by
/// kind: a few bytes each, for the texts of a dump that hold such links.
#[derive(Debug, Default)]
struct LinkingTexts {
    posts: Vec<i64>,
    comments: Vec<i64>,
    users: Vec<i64>,
}

/// What an import needs of a store: bulk loads, and the category it files the
/// questions in (read or made). `Arc<dyn Store>` is one.
pub trait ImportTarget: BulkStore + ReadStore + WriteStore + RenderedTextStore {}

impl<T: BulkStore + ReadStore + WriteStore + RenderedTextStore + ?Sized> ImportTarget for T {}

/// Imports the dump in `options.dir` into `store`, telling `progress` how far it has
/// come; returns what it imported and skipped, and why.
pub async fn import_stackexchange<S: ImportTarget + ?Sized + 'static>(
    store: Arc<S>,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportSummary, ExchangeError> {
    let started = Instant::now();
    let dir = &options.dir;
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(ExchangeError::MissingFiles {
            dir: dir.clone(),
            missing: missing.join(", "),
        });
    }
    let source = source_name(dir);
    let (users, posts) = store.content_counts().await?;
    if store.import_run(&source).await?.is_none() && (users > 0 || posts > 0) {
        return Err(ExchangeError::NotEmpty { users, posts });
    }
    let files: Vec<&str> = ORDER
        .iter()
        .copied()
        .filter(|f| dir.join(f).is_file())
        .collect();
    let total: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    progress.total(total);
    store
        .record_import(&source, false, ponder_core::time::now())
        .await?;
    let category_name = options.category.clone().unwrap_or_else(|| source.clone());
    let category = find_or_make_category(&*store, &category_name).await?;

    let original_site = options
        .original_site
        .clone()
        .or_else(|| source.contains('.').then(|| source.clone()));
    let mut importer = Importer {
        store: Arc::clone(&store),
        source: source.clone(),
        original_site,
        linking: LinkingTexts::default(),
        images: options.images.clone(),
        picturing: Vec::new(),
        dir: dir.clone(),
        progress,
        batch_rows: options.batch_rows.max(1),
        category,
        summary: ImportSummary::default(),
        users: IdSet::default(),
        placeholders: IdSet::default(),
        posts: IdSet::default(),
        questions: IdSet::default(),
        accepted: Vec::new(),
        duplicates: Vec::new(),
        linked: Vec::new(),
        excerpts: HashMap::new(),
        wikis: HashMap::new(),
        sources: None,
        sourced: IdSet::default(),
        sourced_rows: 0,
        open_revisions: VecDeque::new(),
        revisions_added: 0,
        batch: BulkBatch::default(),
        candidates: 0,
        pending: VecDeque::new(),
        written: None,
        bytes_before: 0,
        committed: false,
    };
    // Secondary indexes are made once at the end rather than row by row; if the
    // run fails they are made again at once, and a crash leaves their definitions
    // for the next run.
    store.suspend_indexes(&source).await?;
    let result = importer.run(&files).await;
    if result.is_err() {
        importer.drain().await;
        store.restore_indexes(&source).await?;
    }
    match result {
        Ok(()) => {}
        Err(cause) if importer.committed => {
            let so_far = importer.so_far();
            return Err(ExchangeError::Stopped {
                cause: Box::new(cause),
                so_far,
            });
        }
        Err(cause) => return Err(cause),
    }
    store
        .record_import(&source, true, ponder_core::time::now())
        .await?;
    let mut summary = importer.summary;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The name an import from `dir` is recorded under: the folder's name.
fn source_name(dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "imported".to_owned())
}

pub(crate) async fn find_or_make_category<S: ImportTarget + ?Sized>(
    store: &S,
    name: &str,
) -> Result<CategoryId, ExchangeError> {
    let slug = ponder_core::slug::slugify(name);
    let slug = if slug.is_empty() {
        "imported".to_owned()
    } else {
        slug
    };
    if let Some(found) = store
        .categories()
        .await?
        .into_iter()
        .find(|c| c.parent_id.is_none() && c.slug == slug)
    {
        return Ok(found.id);
    }
    let made = store
        .create_category(NewCategory {
            parent: None,
            slug,
            name: name.to_owned(),
            description: format!("Questions imported from {name}."),
            position: 0,
        })
        .await?;
    Ok(made.id)
}

/// What makes history rows one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RevisionKey {
    post: i64,
    guid: Option<String>,
    editor: Option<i64>,
    created_at: i64,
}

/// What a batch holds, so that what it added is counted for the right file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Users,
    Tags,
    Posts,
    History,
    Comments,
    Votes,
    Badges,
    Links,
}

/// A batch being written.
struct Pending {
    handle: JoinHandle<StoreResult<BulkLoaded>>,
    kind: Kind,
    file: String,
    line: u64,
    candidates: u64,
}

struct Importer<'a, S: ImportTarget + ?Sized> {
    /// The original site's host, whose links are made local.
    original_site: Option<String>,
    /// The texts that may link to the original site, to look at once every
    /// post and user is in.
    linking: LinkingTexts,
    /// What copies pictures from other hosts, when asked to.
    images: Option<Arc<dyn ImageCopier>>,
    /// The posts that may show pictures from other hosts, with their authors.
    picturing: Vec<(i64, UserId)>,
    store: Arc<S>,
    /// The name the import is recorded under.
    source: String,
    dir: PathBuf,
    progress: &'a dyn Progress,
    batch_rows: usize,
    category: CategoryId,
    summary: ImportSummary,
    /// Users in the dump.
    users: IdSet,
    /// Placeholders made so far for users absent from it.
    placeholders: IdSet,
    /// Questions and answers imported.
    posts: IdSet,
    questions: IdSet,
    accepted: Vec<(PostId, PostId)>,
    duplicates: Vec<(PostId, PostId)>,
    /// Related links: (post, linked question).
    linked: Vec<(PostId, PostId)>,
    /// Where posts' Markdown sources are in PostHistory.xml, found ahead.
    sources: Option<Sources>,
    /// Posts inserted with their source, whose body revisions need no update.
    sourced: IdSet,
    /// Body revisions read with their posts.
    sourced_rows: u64,
    /// Revisions still being read, oldest first: a revision's history rows are
    /// close together but not always one after another.
    open_revisions: VecDeque<(RevisionKey, BulkRevision)>,
    /// Revisions stored.
    revisions_added: u64,
    /// Tag wiki excerpt post id to tag name, from Tags.xml.
    excerpts: HashMap<i64, String>,
    /// Tag wiki post id to tag name, from Tags.xml.
    wikis: HashMap<i64, String>,
    batch: BulkBatch,
    /// Rows in the batch that may add a row (not updates).
    candidates: u64,
    /// Batches handed to the store, oldest first.
    pending: VecDeque<Pending>,
    /// Says when the newest batch handed to the store is written, and whether it
    /// succeeded: the next one waits for it.
    written: Option<oneshot::Receiver<bool>>,
    /// Bytes of the files already read.
    bytes_before: u64,
    /// Whether a batch has been committed.
    committed: bool,
}

impl<S: ImportTarget + ?Sized + 'static> Importer<'_, S> {
    async fn run(&mut self, files: &[&str]) -> Result<(), ExchangeError> {
        for &file in files {
            let file_started = Instant::now();
            let mut summary = FileSummary::default();
            let path = self.dir.join(file);
            let root = root_of(file);
            let mut reader = RowReader::open(&path, root)?;
            if file == "Posts.xml" && files.contains(&"PostHistory.xml") {
                self.sources = Sources::scan(&self.dir.join("PostHistory.xml"));
            }
            let kind = match file {
                "Users.xml" => Kind::Users,
                "Tags.xml" => Kind::Tags,
                "Posts.xml" => Kind::Posts,
                "PostHistory.xml" => Kind::History,
                "Comments.xml" => Kind::Comments,
                "Votes.xml" => Kind::Votes,
                "Badges.xml" => Kind::Badges,
                _ => Kind::Links,
            };
            self.summary
                .files
                .push((file.to_owned(), FileSummary::default()));
            let mut votes: HashMap<i64, u64> = HashMap::new();
            while let Some(row) = reader.next_row()? {
                summary.read += 1;
                for name in attributes::unknown(file, row.attrs.iter().map(|(k, _)| k.as_str())) {
                    summary.unknown_attribute(name);
                }
                let at = |problem| reader.error(problem);
                match file {
                    "Users.xml" => self.user(&row, at)?,
                    "Tags.xml" => self.tag(&row, at)?,
                    "Posts.xml" => self.post(&row, at, &mut summary)?,
                    "PostHistory.xml" => self.history(&row, at, &mut summary)?,
                    "Comments.xml" => self.comment(&row, at, &mut summary)?,
                    "Votes.xml" => self.vote(&row, at, &mut summary, &mut votes)?,
                    "PostLinks.xml" => self.link(&row, at, &mut summary)?,
                    _ => self.badge(&row, at, &mut summary)?,
                }
                if self.batch_len() >= self.batch_rows {
                    self.flush(kind, file, row.line).await?;
                }
                if summary.read % 1024 == 0 {
                    self.progress
                        .update(file, self.bytes_before + reader.bytes_read());
                }
            }
            let open = std::mem::take(&mut self.open_revisions);
            self.batch
                .revisions
                .extend(open.into_iter().map(|(_, revision)| revision));
            self.flush(kind, file, reader.line()).await?;
            self.settle().await?;
            self.bytes_before += reader.bytes_read();
            self.progress.update(file, self.bytes_before);
            if file == "Votes.xml" {
                summary.notes.push(votes_note(&votes));
            }
            if file == "Posts.xml" {
                // Sources not taken belong to posts not imported.
                self.sources = None;
            }
            if file == "PostHistory.xml" {
                summary.added += self.sourced_rows;
                summary.notes.push(format!(
                    "{} revisions of imported posts kept, with their editors, summaries and dates",
                    self.revisions_added
                ));
            }
            summary.millis = file_started.elapsed().as_millis() as u64;
            self.merge_file_summary(file, summary);
        }
        let finishing = Instant::now();
        self.store.restore_indexes(&self.source).await?;
        self.link_posts().await?;
        self.make_links_local().await?;
        self.copy_images().await?;
        self.store.update_statistics().await?;
        self.summary.finishing_seconds = finishing.elapsed().as_secs_f64();
        Ok(())
    }

    /// Rows waiting in the batch.
    fn batch_len(&self) -> usize {
        let b = &self.batch;
        b.users.len()
            + b.tags.len()
            + b.posts.len()
            + b.comments.len()
            + b.badges.len()
            + b.votes.len()
            + b.revisions.len()
            + b.sources.len()
            + b.close_reasons.len()
            + b.tag_descriptions.len()
            + b.tag_wikis.len()
    }

    /// Hands the batch to the store, to be written after the ones before it; first
    /// counts the oldest batch in flight when [`IN_FLIGHT`] are.
    async fn flush(&mut self, kind: Kind, file: &str, line: u64) -> Result<(), ExchangeError> {
        if self.batch_len() == 0 {
            return Ok(());
        }
        while self.pending.len() >= IN_FLIGHT {
            self.settle_oldest().await?;
        }
        let batch = std::mem::take(&mut self.batch);
        let store = Arc::clone(&self.store);
        let (done, written) = oneshot::channel();
        let before = self.written.replace(written);
        let handle = tokio::spawn(async move {
            // A batch whose predecessor failed is not written: the import stops at
            // the first failure, and what it reports as loaded must be all there is.
            let ready = match before {
                Some(before) => before.await.unwrap_or(false),
                None => true,
            };
            let result = if ready {
                store.bulk_load(batch).await
            } else {
                Err(ponder_store::StoreError::Database(
                    "not written: an earlier batch failed".into(),
                ))
            };
            let _ = done.send(result.is_ok());
            result
        });
        self.pending.push_back(Pending {
            handle,
            kind,
            file: file.to_owned(),
            line,
            candidates: std::mem::take(&mut self.candidates),
        });
        Ok(())
    }

    /// Waits for every batch in flight and counts what each added.
    async fn settle(&mut self) -> Result<(), ExchangeError> {
        while !self.pending.is_empty() {
            self.settle_oldest().await?;
        }
        Ok(())
    }

    /// Waits for every batch in flight after a failure, counting what those that
    /// were written added, so that nothing is still writing when the import reports
    /// what it left in the site.
    async fn drain(&mut self) {
        while !self.pending.is_empty() {
            let _ = self.settle_oldest().await;
        }
        self.written = None;
    }

    /// Waits for the oldest batch in flight and counts what it added.
    async fn settle_oldest(&mut self) -> Result<(), ExchangeError> {
        let Some(pending) = self.pending.pop_front() else {
            return Ok(());
        };
        let failed = |source| ExchangeError::Store {
            file: pending.file.clone(),
            line: pending.line,
            source,
        };
        let loaded = match pending.handle.await {
            Ok(result) => result.map_err(failed)?,
            Err(join) => {
                return Err(failed(ponder_store::StoreError::Database(
                    format!("the batch's task failed: {join}").into(),
                )));
            }
        };
        self.committed = true;
        let added = match pending.kind {
            Kind::Users => loaded.users,
            Kind::Tags => loaded.tags,
            Kind::Posts => {
                self.summary.placeholders += loaded.users;
                self.summary.posts_added += loaded.posts;
                loaded.posts
            }
            Kind::History => {
                self.revisions_added += loaded.revisions;
                self.summary.placeholders += loaded.users;
                loaded.sources + loaded.close_reasons
            }
            Kind::Comments => {
                self.summary.placeholders += loaded.users;
                loaded.comments
            }
            Kind::Votes => loaded.votes,
            Kind::Badges => loaded.badges,
            Kind::Links => 0,
        };
        if let Some((_, s)) = self
            .summary
            .files
            .iter_mut()
            .find(|(name, _)| *name == pending.file)
        {
            s.added += added;
            if pending.kind != Kind::History {
                s.already += pending.candidates.saturating_sub(added);
            }
        }
        Ok(())
    }

    fn merge_file_summary(&mut self, file: &str, read: FileSummary) {
        if let Some((_, s)) = self.summary.files.iter_mut().find(|(n, _)| n == file) {
            s.read = read.read;
            s.added += read.added;
            s.millis = read.millis;
            s.skipped = read.skipped;
            s.defaulted = read.defaulted;
            s.unknown = read.unknown;
            s.notes.extend(read.notes);
        }
    }

    /// A user from Users.xml.
    fn user(&mut self, row: &Row, at: impl Fn(Problem) -> DumpError) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        // Kept as the dump has it, spaces and all, unless blank.
        let name = row
            .get("DisplayName")
            .filter(|n| !n.trim().is_empty())
            .map_or_else(|| format!("user{id}"), str::to_owned);
        let about = row.get("AboutMe").unwrap_or("");
        if may_link(about) {
            self.linking.users.push(id);
        }
        let mut millis = Millis::default();
        self.batch.users.push(BulkUser {
            id: UserId(id),
            handle: mapping::handle_for(&name, id),
            display_name: name,
            reputation: optional_int(row, "Reputation", &at)?.unwrap_or(1),
            about: PostBody::imported(about, None),
            created_at: required_time(row, "CreationDate", &at, (&mut millis, slot::CREATED))?,
            last_seen_at: optional_time(
                row,
                "LastAccessDate",
                &at,
                (&mut millis, slot::USER_LAST_ACCESS),
            )?,
            deleted_at: None,
            profile: Some(imported_profile(row, &at)?),
            time_millis: millis.stored(),
        });
        self.candidates += 1;
        self.users.insert(id);
        Ok(())
    }

    /// The user a post or comment names, made a deleted-user placeholder if the dump
    /// lacks them.
    fn author(&mut self, id: Option<i64>, at: i64) -> UserId {
        let id = id.unwrap_or(mapping::NO_OWNER);
        if !self.users.contains(id) && !self.placeholders.contains(id) {
            self.batch.users.push(mapping::placeholder(id, at));
            self.placeholders.insert(id);
        }
        UserId(id)
    }

    /// The name a post or comment gives its author when the dump does not have the
    /// account (`owner` absent or not in Users.xml): shown instead of the
    /// placeholder's.
    fn departed_name(&self, owner: Option<i64>, name: Option<&str>) -> Option<String> {
        let absent = owner.is_none_or(|id| !self.users.contains(id));
        name.filter(|n| absent && !n.trim().is_empty())
            .map(str::to_owned)
    }

    /// A tag from Tags.xml.
    fn tag(&mut self, row: &Row, at: impl Fn(Problem) -> DumpError) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        let name = required(row, "TagName", &at)?.trim().to_lowercase();
        if let Some(excerpt) = optional_int(row, "ExcerptPostId", &at)? {
            self.excerpts.insert(excerpt, name.clone());
        }
        if let Some(wiki) = optional_int(row, "WikiPostId", &at)? {
            self.wikis.insert(wiki, name.clone());
        }
        self.batch.tags.push(BulkTag {
            id,
            name,
            description: String::new(),
            question_count: 0,
            wiki: PostBody::from_markdown(""),
            moderator_only: row
                .get("IsModeratorOnly")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        });
        self.candidates += 1;
        Ok(())
    }

    /// A post from Posts.xml: questions and answers are imported; tag wiki excerpts
    /// become tag descriptions and tag wikis tag wikis; the rest is skipped.
    fn post(
        &mut self,
        row: &Row,
        at: impl Fn(Problem) -> DumpError,
        summary: &mut FileSummary,
    ) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        let kind = required_int(row, "PostTypeId", &at)?;
        let body = row.get("Body").unwrap_or("");
        let parent = match kind {
            1 => None,
            2 => {
                let parent = required_int(row, "ParentId", &at)?;
                if !self.questions.contains(parent) {
                    summary.skip("answer to a question not in the dump", row.line);
                    return Ok(());
                }
                Some(PostId(parent))
            }
            4 => {
                match self.excerpts.get(&id) {
                    Some(tag) => {
                        let text =
                            markdown::cut_at_word(&markdown::html_text(body), DESCRIPTION_CHARS);
                        self.batch.tag_descriptions.push((tag.clone(), text));
                        summary.skip("tag wiki excerpt (became its tag's description)", row.line);
                    }
                    None => summary.skip("tag wiki excerpt of a tag not in Tags.xml", row.line),
                }
                return Ok(());
            }
            5 => {
                match self.wikis.get(&id).cloned() {
                    Some(tag) => {
                        let wiki = PostBody::imported(body, self.source_of(id));
                        self.batch.tag_wikis.push((tag, wiki));
                        summary.skip("tag wiki (became its tag's wiki)", row.line);
                    }
                    None => summary.skip("tag wiki of a tag not in Tags.xml", row.line),
                }
                return Ok(());
            }
            other => {
                summary.skip(
                    format!(
                        "post type {other} (only questions, answers and tag excerpts are imported)"
                    ),
                    row.line,
                );
                return Ok(());
            }
        };
        let mut millis = Millis::default();
        let created_at = required_time(row, "CreationDate", &at, (&mut millis, slot::CREATED))?;
        let owner = optional_int(row, "OwnerUserId", &at)?;
        let owner_name = self.departed_name(owner, row.get("OwnerDisplayName"));
        let author_id = self.author(owner, created_at);
        let closed_at = optional_time(row, "ClosedDate", &at, (&mut millis, slot::POST_CLOSED))?;
        let last_activity_at = optional_time(
            row,
            "LastActivityDate",
            &at,
            (&mut millis, slot::POST_ACTIVITY),
        )?;
        let edited_at = optional_time(row, "LastEditDate", &at, (&mut millis, slot::POST_EDITED))?;
        let deleted_at =
            optional_time(row, "DeletionDate", &at, (&mut millis, slot::POST_DELETED))?;
        let community_owned_at = optional_time(
            row,
            "CommunityOwnedDate",
            &at,
            (&mut millis, slot::POST_COMMUNITY_OWNED),
        )?;
        let is_question = parent.is_none();
        let source = self.source_of(id);
        if let (true, Some(answer)) = (is_question, optional_int(row, "AcceptedAnswerId", &at)?) {
            self.accepted.push((PostId(id), PostId(answer)));
        }
        if may_link(body) || source.as_deref().is_some_and(may_link) {
            self.linking.posts.push(id);
        }
        let body = PostBody::imported(body, source);
        if self.images.is_some() && images::may_show_remote_image(body.html()) {
            self.picturing.push((id, author_id));
        }
        self.batch.posts.push(BulkPost {
            id: PostId(id),
            kind: if is_question {
                PostKind::Question
            } else {
                PostKind::Answer
            },
            parent_id: parent,
            category_id: is_question.then_some(self.category),
            author_id,
            title: if is_question {
                row.get("Title").unwrap_or("").to_owned()
            } else {
                String::new()
            },
            body,
            tags: if is_question {
                mapping::parse_tags(row.get("Tags").unwrap_or(""))
            } else {
                Vec::new()
            },
            score: optional_int(row, "Score", &at)?.unwrap_or(0),
            answer_count: optional_int(row, "AnswerCount", &at)?.unwrap_or(0),
            comment_count: optional_int(row, "CommentCount", &at)?.unwrap_or(0),
            view_count: optional_int(row, "ViewCount", &at)?.unwrap_or(0),
            accepted_answer_id: None,
            created_at,
            last_activity_at: last_activity_at.unwrap_or(created_at),
            edited_at,
            deleted_at,
            closed_at: closed_at.filter(|_| is_question),
            close_reason: if closed_at.is_some() && is_question {
                "closed".to_owned()
            } else {
                String::new()
            },
            duplicate_of: None,
            owner_name,
            licence: row.get("ContentLicense").map(str::to_owned),
            favorite_count: optional_int(row, "FavoriteCount", &at)?,
            community_owned_at,
            time_millis: millis.stored(),
        });
        self.candidates += 1;
        self.posts.insert(id);
        if is_question {
            self.questions.insert(id);
        }
        Ok(())
    }

    /// The Markdown source of a post, when the scan of PostHistory.xml found it.
    fn source_of(&mut self, post: i64) -> Option<String> {
        let source = self.sources.as_mut()?.take(post)?;
        self.sourced.insert(post);
        Some(source)
    }

    /// A row of PostHistory.xml: title, body and tags rows (initial, edits and
    /// rollbacks) make the post's revisions, the latest body its Markdown source;
    /// close events give the close reason; the rest of the history is not kept.
    fn history(
        &mut self,
        row: &Row,
        at: impl Fn(Problem) -> DumpError,
        summary: &mut FileSummary,
    ) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        let kind = required_int(row, "PostHistoryTypeId", &at)?;
        let post = required_int(row, "PostId", &at)?;
        if !matches!(kind, 1..=10) {
            summary.skip(
                "other history (votes to close, locks, migrations and the like: posts carry their current state)",
                row.line,
            );
            return Ok(());
        }
        if !self.posts.contains(post) {
            summary.skip("history of a post not imported", row.line);
            return Ok(());
        }
        if kind == 10 {
            let reason = mapping::close_reason(row.get("Comment").unwrap_or(""));
            self.batch.close_reasons.push((PostId(post), reason));
            return Ok(());
        }
        let mut millis = Millis::default();
        let created_at = required_time(row, "CreationDate", &at, (&mut millis, slot::CREATED))?;
        let editor = optional_int(row, "UserId", &at)?;
        self.revise(id, post, kind, editor, (created_at, millis), row);
        if matches!(kind, 2 | 5 | 8) {
            if self.sourced.contains(post) {
                self.sourced_rows += 1;
            } else if let Some(text) = row.get("Text") {
                self.batch.sources.push((PostId(post), text.to_owned()));
            } else {
                summary.skip("body revision without its text", row.line);
            }
        }
        Ok(())
    }

    /// Adds a title, body or tags row (history types 1 to 9) to the revision it
    /// belongs to: one of the [`OPEN_REVISIONS`] read last if the row shares its
    /// revision, else a new one (the oldest open one then goes into the batch).
    fn revise(
        &mut self,
        id: i64,
        post: i64,
        kind: i64,
        editor: Option<i64>,
        (created_at, millis): (i64, Millis),
        row: &Row,
    ) {
        // Dumps from 2010 on group a revision's rows by RevisionGUID; older rows
        // are grouped by post, editor and time.
        let key = RevisionKey {
            post,
            guid: row.get("RevisionGUID").map(str::to_owned),
            editor,
            created_at,
        };
        let open = match self.open_revisions.iter().position(|(k, _)| *k == key) {
            Some(open) => open,
            None => {
                if self.open_revisions.len() >= OPEN_REVISIONS
                    && let Some((_, done)) = self.open_revisions.pop_front()
                {
                    self.batch.revisions.push(done);
                    self.candidates += 1;
                }
                let editor_name = self.departed_name(editor, row.get("UserDisplayName"));
                let editor_id = self.author(editor, created_at);
                let summary = match (kind, row.get("Comment")) {
                    (_, Some(comment)) => comment.to_owned(),
                    (7..=9, None) => "Rolled back to an earlier revision".to_owned(),
                    _ => String::new(),
                };
                self.open_revisions.push_back((
                    key,
                    BulkRevision {
                        id,
                        post_id: PostId(post),
                        editor_id,
                        editor_name,
                        title: None,
                        body: None,
                        tags: None,
                        summary,
                        created_at,
                        guid: row.get("RevisionGUID").map(str::to_owned),
                        rollback: false,
                        imported: true,
                        row_ids: [None; 3],
                        licence: row.get("ContentLicense").map(str::to_owned),
                        time_millis: millis.stored(),
                    },
                ));
                self.open_revisions.len() - 1
            }
        };
        let Some((_, revision)) = self.open_revisions.get_mut(open) else {
            return;
        };
        let text = row.get("Text").unwrap_or("");
        revision.rollback |= (7..=9).contains(&kind);
        match kind {
            1 | 4 | 7 => {
                revision.title = Some(text.to_owned());
                revision.row_ids[0] = Some(id);
            }
            2 | 5 | 8 => {
                revision.body = Some(text.to_owned());
                revision.row_ids[1] = Some(id);
            }
            _ => {
                revision.tags = Some(mapping::parse_tags(text));
                revision.row_ids[2] = Some(id);
            }
        }
        if revision.summary.is_empty()
            && let Some(comment) = row.get("Comment")
        {
            revision.summary = comment.to_owned();
        }
    }

    /// A comment from Comments.xml.
    fn comment(
        &mut self,
        row: &Row,
        at: impl Fn(Problem) -> DumpError,
        summary: &mut FileSummary,
    ) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        let post = required_int(row, "PostId", &at)?;
        if !self.posts.contains(post) {
            summary.skip("comment on a post not imported", row.line);
            return Ok(());
        }
        let mut millis = Millis::default();
        let created_at = required_time(row, "CreationDate", &at, (&mut millis, slot::CREATED))?;
        let owner = optional_int(row, "UserId", &at)?;
        let owner_name = self.departed_name(owner, row.get("UserDisplayName"));
        let author_id = self.author(owner, created_at);
        let text = row.get("Text").unwrap_or("");
        if may_link(text) {
            self.linking.comments.push(id);
        }
        self.batch.comments.push(BulkComment {
            id: CommentId(id),
            post_id: PostId(post),
            author_id,
            body: PostBody::inline(text),
            score: optional_int(row, "Score", &at)?.unwrap_or(0),
            created_at,
            deleted_at: optional_time(
                row,
                "DeletionDate",
                &at,
                (&mut millis, slot::COMMENT_DELETED),
            )?,
            owner_name,
            licence: row.get("ContentLicense").map(str::to_owned),
            time_millis: millis.stored(),
        });
        self.candidates += 1;
        Ok(())
    }

    /// A vote from Votes.xml, kept with its post, type, day and, where the dump
    /// names them, voter and bounty; counted by type in `kinds`.
    fn vote(
        &mut self,
        row: &Row,
        at: impl Fn(Problem) -> DumpError,
        summary: &mut FileSummary,
        kinds: &mut HashMap<i64, u64>,
    ) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        let post = required_int(row, "PostId", &at)?;
        let vote_type = required_int(row, "VoteTypeId", &at)?;
        *kinds.entry(vote_type).or_default() += 1;
        let created_at = required_date(row, "CreationDate", &at)?;
        let user_id = optional_int(row, "UserId", &at)?.map(UserId);
        let bounty = optional_int(row, "BountyAmount", &at)?;
        if !self.posts.contains(post) {
            summary.skip("vote on a post not imported", row.line);
            return Ok(());
        }
        self.batch.votes.push(BulkVote {
            id,
            post_id: PostId(post),
            vote_type,
            user_id,
            bounty,
            created_at,
        });
        self.candidates += 1;
        Ok(())
    }

    /// A row of PostLinks.xml: duplicate links mark duplicates, related links
    /// (type 1) become the post's linked questions.
    fn link(
        &mut self,
        row: &Row,
        at: impl Fn(Problem) -> DumpError,
        summary: &mut FileSummary,
    ) -> Result<(), DumpError> {
        required_int(row, "Id", &at)?;
        let post = required_int(row, "PostId", &at)?;
        let related = required_int(row, "RelatedPostId", &at)?;
        match required_int(row, "LinkTypeId", &at)? {
            3 if self.questions.contains(post) && self.questions.contains(related) => {
                self.duplicates.push((PostId(post), PostId(related)));
            }
            3 => summary.skip("duplicate link with a question not imported", row.line),
            1 if self.posts.contains(post) && self.questions.contains(related) => {
                self.linked.push((PostId(post), PostId(related)));
            }
            1 => summary.skip("related link with a post not imported", row.line),
            _ => summary.skip("link of an unknown type", row.line),
        }
        Ok(())
    }

    /// A badge from Badges.xml.
    fn badge(
        &mut self,
        row: &Row,
        at: impl Fn(Problem) -> DumpError,
        summary: &mut FileSummary,
    ) -> Result<(), DumpError> {
        let id = required_int(row, "Id", &at)?;
        let user = required_int(row, "UserId", &at)?;
        let name = required(row, "Name", &at)?.trim().to_owned();
        // Dumps before 2014 have no Class.
        let class = match row.get("Class") {
            Some(class) => mapping::badge_class(class),
            None => {
                summary.defaulted(
                    "badges without a Class (an older dump): gold or silver for the badges \
                     Stack Exchange awards as such, by name; bronze for the rest",
                );
                Some(mapping::badge_class_by_name(&name))
            }
        };
        let Some(class) = class else {
            summary.skip("badge of an unknown class", row.line);
            return Ok(());
        };
        if !self.users.contains(user) {
            summary.skip("badge of a user not in the dump", row.line);
            return Ok(());
        }
        let mut millis = Millis::default();
        self.batch.badges.push(BulkBadge {
            id,
            user_id: UserId(user),
            name,
            class: class.to_owned(),
            post_id: None,
            awarded_at: required_time(row, "Date", &at, (&mut millis, slot::CREATED))?,
            tag_based: row
                .get("TagBased")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            time_millis: millis.stored(),
        });
        self.candidates += 1;
        Ok(())
    }

    /// Accepted answers and duplicate links, once every post is in; then the counters.
    async fn link_posts(&mut self) -> Result<(), ExchangeError> {
        let accepted = std::mem::take(&mut self.accepted);
        let duplicates = std::mem::take(&mut self.duplicates);
        let linked = std::mem::take(&mut self.linked);
        let (mut set_accepted, mut set_duplicates) = (0, 0);
        for chunk in accepted.chunks(self.batch_rows) {
            let loaded = self
                .store
                .bulk_load(BulkBatch {
                    accepted: chunk.to_vec(),
                    ..BulkBatch::default()
                })
                .await?;
            set_accepted += loaded.accepted;
        }
        for chunk in duplicates.chunks(self.batch_rows) {
            let loaded = self
                .store
                .bulk_load(BulkBatch {
                    duplicates: chunk.to_vec(),
                    ..BulkBatch::default()
                })
                .await?;
            set_duplicates += loaded.duplicates;
        }
        let mut set_linked = 0;
        for chunk in linked.chunks(self.batch_rows) {
            let loaded = self
                .store
                .bulk_load(BulkBatch {
                    linked: chunk.to_vec(),
                    ..BulkBatch::default()
                })
                .await?;
            set_linked += loaded.linked;
        }
        if let Some((_, links)) = self
            .summary
            .files
            .iter_mut()
            .find(|(n, _)| n == "PostLinks.xml")
        {
            links.notes.push(format!(
                "{set_linked} related links made linked questions ({} were there already)",
                linked.len() as u64 - set_linked
            ));
        }
        if let Some((_, posts)) = self
            .summary
            .files
            .iter_mut()
            .find(|(n, _)| n == "Posts.xml")
        {
            let refused = accepted.len() as u64 - set_accepted;
            if refused > 0 {
                posts.notes.push(format!(
                    "{refused} accepted answers not set: the answer is not in the dump or not an answer to that question"
                ));
            }
        }
        self.summary.links = (set_accepted, set_duplicates);
        self.store.recount().await?;
        Ok(())
    }

    /// Links to the original site's imported posts and users, in the imported
    /// texts that may hold them, made local (see [`LinkRewriter`]); the revisions
    /// keep the originals.
    async fn make_links_local(&mut self) -> Result<(), ExchangeError> {
        const PAGE: usize = 500;
        let links = LinkRewriter::new(
            self.original_site.as_deref().unwrap_or_default(),
            &self.posts,
            &self.users,
        );
        let linking = std::mem::take(&mut self.linking);
        let mut changed = 0;
        for (kind, ids) in [
            (RenderedText::PostBody, linking.posts),
            (RenderedText::Comment, linking.comments),
            (RenderedText::About, linking.users),
        ] {
            for chunk in ids.chunks(PAGE) {
                let texts = self.store.stored_texts_of(kind, chunk.to_vec()).await?;
                for text in &texts {
                    let (markdown, html) = (links.markdown(&text.markdown), links.html(&text.html));
                    if self.write_back(kind, text, markdown, html).await? {
                        changed += 1;
                    }
                }
            }
        }
        self.summary.links_made_local = changed;
        Ok(())
    }

    /// Stores what a pass over the imported texts made of `text` (a `kind`):
    /// `markdown` and `html`, `None` where it left them as they were, if the text
    /// is still as read; whether it changed.
    async fn write_back(
        &self,
        kind: RenderedText,
        text: &StoredText,
        markdown: Option<String>,
        html: Option<String>,
    ) -> Result<bool, ExchangeError> {
        if markdown.is_none() && html.is_none() {
            return Ok(false);
        }
        let html = SafeHtml::from_trusted_storage(html.unwrap_or_else(|| text.html.clone()));
        let markdown = markdown.as_deref().unwrap_or(&text.markdown);
        Ok(self
            .store
            .replace_text(kind, text.id, &text.markdown, markdown, &html)
            .await?)
    }

    /// The pictures from other hosts that the imported posts show, copied into the
    /// site and their addresses made the copies' (see [`images`]).
    async fn copy_images(&mut self) -> Result<(), ExchangeError> {
        const PAGE: usize = 500;
        let Some(copier) = self.images.clone() else {
            return Ok(());
        };
        let mut summary = ImageSummary::default();
        // Each address once, however many posts show it: its copy, if it has one.
        let mut known: HashMap<String, Option<String>> = HashMap::new();
        let picturing = std::mem::take(&mut self.picturing);
        for chunk in picturing.chunks(PAGE) {
            let owners: HashMap<i64, UserId> = chunk.iter().copied().collect();
            let ids = chunk.iter().map(|(id, _)| *id).collect();
            let texts = self
                .store
                .stored_texts_of(RenderedText::PostBody, ids)
                .await?;
            let mut shown: Vec<Vec<String>> = Vec::with_capacity(texts.len());
            let mut wanted: Vec<(String, UserId)> = Vec::new();
            let mut pending: HashSet<String> = HashSet::new();
            for text in &texts {
                let Some(&owner) = owners.get(&text.id) else {
                    shown.push(Vec::new());
                    continue;
                };
                let mut urls = images::remote_image_sources(&text.html);
                for url in markdown::remote_images(&text.markdown) {
                    if !urls.contains(&url) {
                        urls.push(url);
                    }
                }
                urls.truncate(images::MAX_IMAGES_PER_POST);
                for url in &urls {
                    if !known.contains_key(url) && pending.insert(url.clone()) {
                        wanted.push((url.clone(), owner));
                    }
                }
                shown.push(urls);
            }
            for (url, copied) in images::copy_each(&copier, wanted).await {
                match copied {
                    Ok(local) => {
                        summary.copied += 1;
                        known.insert(url, Some(local));
                    }
                    Err(reason) => {
                        summary.add_failure(&url, reason);
                        known.insert(url, None);
                    }
                }
            }
            for (text, urls) in texts.iter().zip(shown) {
                let copies: HashMap<String, String> = urls
                    .into_iter()
                    .filter_map(|url| known.get(&url).cloned().flatten().map(|l| (url, l)))
                    .collect();
                let html = images::html_with_copies(&text.html, &copies);
                let markdown = images::markdown_with_copies(&text.markdown, &copies);
                if self
                    .write_back(RenderedText::PostBody, text, markdown, html)
                    .await?
                {
                    summary.posts_changed += 1;
                }
            }
        }
        self.summary.images = Some(summary);
        Ok(())
    }

    /// What is in the site so far, for a message.
    fn so_far(&self) -> String {
        let parts: Vec<String> = self
            .summary
            .files
            .iter()
            .filter(|(_, s)| s.added > 0)
            .map(|(name, s)| format!("{} rows of {name}", s.added))
            .collect();
        if parts.is_empty() {
            "nothing yet".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// What a Users.xml row says beyond the site's own fields.
fn imported_profile(
    row: &Row,
    at: impl Fn(Problem) -> DumpError,
) -> Result<ponder_store::ImportedProfile, DumpError> {
    // Kept as given, empty values too (dumps write `WebsiteUrl=""`).
    let text = |name: &str| row.get(name).map(str::to_owned);
    Ok(ponder_store::ImportedProfile {
        location: text("Location"),
        website_url: text("WebsiteUrl"),
        views: optional_int(row, "Views", &at)?,
        up_votes: optional_int(row, "UpVotes", &at)?,
        down_votes: optional_int(row, "DownVotes", &at)?,
        profile_image: text("ProfileImageUrl"),
        account_id: optional_int(row, "AccountId", &at)?,
    })
}

/// The root element of a dump file: `Posts.xml` has `<posts>`.
fn root_of(file: &str) -> &'static str {
    match file {
        "Users.xml" => "users",
        "Posts.xml" => "posts",
        "Comments.xml" => "comments",
        "Tags.xml" => "tags",
        "Votes.xml" => "votes",
        "PostHistory.xml" => "posthistory",
        "PostLinks.xml" => "postlinks",
        _ => "badges",
    }
}

/// A note on what Votes.xml held, by type.
fn votes_note(votes: &HashMap<i64, u64>) -> String {
    let count = |k: i64| votes.get(&k).copied().unwrap_or(0);
    let total: u64 = votes.values().sum();
    format!(
        "{total} votes read ({} up, {} down, {} accepts, {} others), kept with their post, \
         type and day: the dump names no voter, so posts keep the scores Posts.xml gives \
         them and accepted answers come from its AcceptedAnswerId",
        count(2),
        count(3),
        count(1),
        total - count(1) - count(2) - count(3)
    )
}

fn required<'r>(
    row: &'r Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
) -> Result<&'r str, DumpError> {
    row.get(name).ok_or_else(|| at(Problem::Missing(name)))
}

fn optional_int(
    row: &Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
) -> Result<Option<i64>, DumpError> {
    row.get(name)
        .map(|raw| {
            raw.trim().parse::<i64>().map_err(|_| {
                at(Problem::BadValue {
                    name: name.to_owned(),
                    value: raw.to_owned(),
                    expected: "a whole number",
                })
            })
        })
        .transpose()
}

fn required_int(
    row: &Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
) -> Result<i64, DumpError> {
    optional_int(row, name, &at)?.ok_or_else(|| at(Problem::Missing(name)))
}

fn optional_date(
    row: &Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
) -> Result<Option<i64>, DumpError> {
    row.get(name)
        .map(|raw| {
            dates::parse(raw).ok_or_else(|| {
                at(Problem::BadValue {
                    name: name.to_owned(),
                    value: raw.to_owned(),
                    expected: "a date such as 2011-08-17T20:18:56.507",
                })
            })
        })
        .transpose()
}

/// A date with its milliseconds, which go into `millis` at `slot`.
fn optional_time(
    row: &Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
    (millis, slot): (&mut Millis, u32),
) -> Result<Option<i64>, DumpError> {
    let Some(raw) = row.get(name) else {
        return Ok(None);
    };
    let (seconds, fraction) = dates::parse_precise(raw).ok_or_else(|| {
        at(Problem::BadValue {
            name: name.to_owned(),
            value: raw.to_owned(),
            expected: "a date such as 2011-08-17T20:18:56.507",
        })
    })?;
    millis.set(slot, fraction);
    Ok(Some(seconds))
}

/// [`optional_time`] for a date every row has.
fn required_time(
    row: &Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
    millis: (&mut Millis, u32),
) -> Result<i64, DumpError> {
    optional_time(row, name, &at, millis)?.ok_or_else(|| at(Problem::Missing(name)))
}

fn required_date(
    row: &Row,
    name: &'static str,
    at: impl Fn(Problem) -> DumpError,
) -> Result<i64, DumpError> {
    optional_date(row, name, &at)?.ok_or_else(|| at(Problem::Missing(name)))
}
