//! Importing an Apache Answer site from its database (the SQLite file or a
//! PostgreSQL database), with members, tags and their wikis, questions, answers,
//! comments, every revision, members' votes, badges and linked questions.
//!
//! Answer numbers questions, answers, comments, tags and badge awards from one
//! shared sequence (`1` + a three-digit object type + a thirteen-digit number):
//! the number is kept as the id here, so `/questions/{n}` follows from the
//! original's id, questions and answers never collide, and a second run skips
//! what the first loaded. Members keep their ids. Tables are read a page at a
//! time; each page is one transaction.

mod map;
mod source;

use crate::Progress;
use crate::error::ExchangeError;
use crate::id_set::IdSet;
use crate::import::{ImportTarget, find_or_make_category};
use crate::links::{LinkRewriter, may_link};
use crate::mapping;
use crate::summary::{FileSummary, ImportSummary};
use map::{RevisionContent, badge_class, badge_name, local_id, profile_of};
use ponder_core::rules::Role;
use ponder_core::time::Timestamp;
use ponder_core::{CategoryId, CommentId, PostId, UserId};
use ponder_store::{
    AccountStore, BulkBadge, BulkBatch, BulkCastVote, BulkComment, BulkCommentVote, BulkLoaded,
    BulkPost, BulkRevision, BulkTag, BulkUser, PostBody, PostKind, StoreError,
};
use source::{AnswerDb, Keyed};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// What an Answer import needs of a store: an import's, and setting the
/// addresses members claim their accounts by.
pub trait AnswerTarget: ImportTarget + AccountStore {}

impl<T: ImportTarget + AccountStore + ?Sized> AnswerTarget for T {}

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct AnswerImportOptions {
    /// The Answer database: the path of its SQLite file, or a `postgres://` URL.
    pub source: String,
    /// The category for every imported question (made if missing; Answer has
    /// none); by default one named after the database.
    pub category: Option<String>,
}

/// Answer's status of a row awaiting review.
const PENDING: i64 = 11;
/// Answer's status of a deleted row.
const DELETED: i64 = 10;
/// Answer's status of a closed question.
const CLOSED: i64 = 2;

/// Imports the Answer site in `options.source` into `store`, telling `progress`
/// how many rows it has read; returns what it imported and skipped, table by
/// table.
pub async fn import_answer<S: AnswerTarget + ?Sized + 'static>(
    store: Arc<S>,
    options: &AnswerImportOptions,
    progress: &dyn Progress,
) -> Result<ImportSummary, ExchangeError> {
    let started = Instant::now();
    let db = AnswerDb::open(&options.source).await?;
    let source = map::source_name(&options.source);
    let (users, posts) = store.content_counts().await?;
    if store.import_run(&source).await?.is_none() && (users > 0 || posts > 0) {
        return Err(ExchangeError::NotEmpty { users, posts });
    }
    let tables = db.tables().await?;
    progress.total(db.row_count(&tables).await?);
    store
        .record_import(&source, false, ponder_core::time::now())
        .await?;
    let category_name = options.category.clone().unwrap_or_else(|| source.clone());
    let category = find_or_make_category(&*store, &category_name).await?;
    let mut import = AnswerImport {
        db: Arc::new(db),
        store: Arc::clone(&store),
        progress,
        category,
        summary: ImportSummary::default(),
        read: 0,
        users: IdSet::default(),
        deleted: IdSet::default(),
        placeholders: IdSet::default(),
        posts: IdSet::default(),
        questions: IdSet::default(),
        comments: IdSet::default(),
        authors: HashMap::new(),
        tag_names: HashMap::new(),
        question_tags: HashMap::new(),
        accepted: Vec::new(),
        claims: Vec::new(),
        original_site: None,
        link_targets: IdSet::default(),
        no_users: IdSet::default(),
    };
    if tables.iter().any(|t| t == "site_info") {
        import.original_site = import.db.site_url().await?;
    }
    for id in import.db.post_ids().await? {
        import.link_targets.insert(local_id(id));
    }
    let result = import.run(&tables).await;
    import.db.close().await;
    result?;
    store
        .record_import(&source, true, ponder_core::time::now())
        .await?;
    let mut summary = import.summary;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

struct AnswerImport<'a, S: AnswerTarget + ?Sized> {
    db: Arc<AnswerDb>,
    store: Arc<S>,
    progress: &'a dyn Progress,
    category: CategoryId,
    summary: ImportSummary,
    /// Rows read so far, for the progress bar.
    read: u64,
    /// Members in the database.
    users: IdSet,
    /// Members deleted on Answer.
    deleted: IdSet,
    /// Placeholders made for members it lacks.
    placeholders: IdSet,
    /// Questions and answers imported (their ids here).
    posts: IdSet,
    questions: IdSet,
    comments: IdSet,
    /// Each imported post's author, for telling self-votes apart.
    authors: HashMap<i64, i64>,
    /// Tag id to the name questions carry: a synonym's is its main tag's.
    tag_names: HashMap<i64, String>,
    /// The tags on each question (by Answer's question id).
    question_tags: HashMap<i64, Vec<String>>,
    accepted: Vec<(PostId, PostId)>,
    /// Verified addresses members may claim their accounts by.
    claims: Vec<(UserId, String)>,
    /// The Answer site's address, whose links to its posts become local.
    original_site: Option<String>,
    /// The posts the import brings (their ids here), which links may name.
    link_targets: IdSet,
    /// Members are linked by name on Answer, never by id.
    no_users: IdSet,
}

impl<S: AnswerTarget + ?Sized + 'static> AnswerImport<'_, S> {
    async fn run(&mut self, tables: &[String]) -> Result<(), ExchangeError> {
        let has = |name: &str| tables.iter().any(|t| t == name);
        self.users().await?;
        if has("user_role_rel") {
            self.roles().await?;
        }
        self.tags().await?;
        self.questions().await?;
        self.answers().await?;
        if has("revision") {
            self.revisions().await?;
        }
        self.comments().await?;
        if has("activity") && has("config") {
            self.votes().await?;
        }
        if has("badge_award") && has("badge") {
            self.awards().await?;
        }
        let finishing = Instant::now();
        self.links(has("question_link")).await?;
        self.store.recount().await?;
        self.store.update_statistics().await?;
        self.claim_addresses().await?;
        self.summary.finishing_seconds = finishing.elapsed().as_secs_f64();
        Ok(())
    }

    /// Loads `batch`, read from `table` up to the row with id `last`, and
    /// counts it in the table's summary: `candidates` rows could add one each,
    /// `added` says which count of what was loaded they are.
    async fn load(
        &mut self,
        table: &str,
        last: i64,
        batch: BulkBatch,
        candidates: u64,
        added: fn(&BulkLoaded) -> u64,
    ) -> Result<(), ExchangeError> {
        let loaded = self
            .store
            .bulk_load(batch)
            .await
            .map_err(|source| ExchangeError::Store {
                file: table.to_owned(),
                line: u64::try_from(last).unwrap_or(0),
                source,
            })?;
        let summary = self.file(table);
        summary.added += added(&loaded);
        summary.already += candidates.saturating_sub(added(&loaded));
        self.summary.posts_added += loaded.posts;
        Ok(())
    }

    /// The summary of `table`, made at its first use.
    fn file(&mut self, table: &str) -> &mut FileSummary {
        let at = match self.summary.files.iter().position(|(n, _)| n == table) {
            Some(at) => at,
            None => {
                let summary = FileSummary {
                    by_id: true,
                    ..FileSummary::default()
                };
                self.summary.files.push((table.to_owned(), summary));
                self.summary.files.len() - 1
            }
        };
        &mut self.summary.files[at].1
    }

    /// Waits for a page of `table` that `fetch` reads and counts it; `None`
    /// once the table has no more rows.
    async fn page<T: Keyed>(
        &mut self,
        table: &str,
        fetch: impl Future<Output = Result<Vec<T>, ExchangeError>>,
    ) -> Result<Option<Vec<T>>, ExchangeError> {
        let started = Instant::now();
        let rows = fetch.await?;
        if rows.is_empty() {
            return Ok(None);
        }
        self.count_read(table, rows.len(), started);
        Ok(Some(rows))
    }

    /// Counts `rows` rows read from `table`.
    fn count_read(&mut self, table: &str, rows: usize, started: Instant) {
        self.read += rows as u64;
        self.progress.update(table, self.read);
        let summary = self.file(table);
        summary.read += rows as u64;
        summary.millis = summary
            .millis
            .saturating_add(started.elapsed().as_millis() as u64);
    }

    async fn users(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("user", db.users(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                self.users.insert(row.id);
                let created = row.created_at.filter(|t| *t > 0);
                if created.is_none() {
                    self.file("user")
                        .defaulted("without a creation time: the import's");
                }
                let created = created.unwrap_or_else(ponder_core::time::now);
                let deleted = row.status == DELETED;
                if deleted {
                    self.deleted.insert(row.id);
                }
                if !deleted && row.mail_status == 1 && !row.email.trim().is_empty() {
                    self.claims
                        .push((UserId(row.id), row.email.trim().to_owned()));
                }
                let display_name = if row.display_name.trim().is_empty() {
                    row.username.clone()
                } else {
                    row.display_name.clone()
                };
                batch.users.push(BulkUser {
                    id: UserId(row.id),
                    handle: map::handle_of(&row.username, &display_name, row.id),
                    display_name,
                    reputation: row.rank.max(1),
                    about: PostBody::from_markdown(row.bio.as_str()),
                    created_at: created,
                    last_seen_at: row.last_login.filter(|t| *t > 0),
                    deleted_at: deleted.then(|| row.updated_at.unwrap_or(created)),
                    profile: Some(profile_of(row)),
                    time_millis: None,
                });
            }
            let candidates = batch.users.len() as u64;
            self.load("user", last, batch, candidates, |l| l.users)
                .await?;
            after = last;
        }
        Ok(())
    }

    /// Administrators and moderators keep their role (their accounts are
    /// claimed by their verified address, as everyone's).
    async fn roles(&mut self) -> Result<(), ExchangeError> {
        let (mut admins, mut moderators) = (0, 0);
        for (user, role) in self.db.roles().await? {
            let role = match role {
                2 => Role::Admin,
                3 => Role::Moderator,
                _ => continue,
            };
            if !self.users.contains(user) || self.deleted.contains(user) {
                continue;
            }
            self.store.set_role(UserId(user), role).await?;
            if role == Role::Admin {
                admins += 1;
            } else {
                moderators += 1;
            }
        }
        self.file("user").notes.push(format!(
            "{admins} administrators and {moderators} moderators keep their role"
        ));
        Ok(())
    }

    async fn tags(&mut self) -> Result<(), ExchangeError> {
        let started = Instant::now();
        let rows = self.db.tags().await?;
        self.count_read("tag", rows.len(), started);
        let names: HashMap<i64, String> = rows
            .iter()
            .map(|t| (t.id, t.slug_name.trim().to_lowercase()))
            .collect();
        let mut batch = BulkBatch::default();
        let mut last = 0;
        for row in &rows {
            last = row.id;
            let name = row.slug_name.trim().to_lowercase();
            if row.status == DELETED {
                self.file("tag").skip("deleted on Answer", id_of(row.id));
                continue;
            }
            if name.is_empty() {
                self.file("tag").skip("without a name", id_of(row.id));
                continue;
            }
            if row.main_tag_id != 0 {
                // A synonym: questions carrying it carry its main tag here.
                if let Some(main) = names.get(&row.main_tag_id) {
                    self.tag_names.insert(row.id, main.clone());
                    self.file("tag").skip(
                        "a synonym: questions carrying it carry its main tag",
                        id_of(row.id),
                    );
                    continue;
                }
            }
            self.tag_names.insert(row.id, name.clone());
            batch.tags.push(BulkTag {
                id: local_id(row.id),
                name: name.clone(),
                description: map::description_of(&row.original_text),
                question_count: 0,
                wiki: PostBody::from_markdown(""),
                moderator_only: row.reserved,
            });
            if !row.original_text.trim().is_empty() {
                batch
                    .tag_wikis
                    .push((name, PostBody::from_markdown(row.original_text.as_str())));
            }
        }
        let candidates = batch.tags.len() as u64;
        self.load("tag", last, batch, candidates, |l| l.tags)
            .await?;
        let uses = self.db.tag_uses().await?;
        for (question, tag) in uses {
            if let Some(name) = self.tag_names.get(&tag) {
                let tags = self.question_tags.entry(question).or_default();
                if !tags.contains(name) {
                    tags.push(name.clone());
                }
            }
        }
        Ok(())
    }

    /// The member a post, comment or revision names, made a deleted-member
    /// placeholder in `batch` if the database lacks them.
    fn author(&mut self, id: i64, at: Timestamp, batch: &mut BulkBatch) -> UserId {
        let id = if id > 0 { id } else { mapping::NO_OWNER };
        if !self.users.contains(id) && !self.placeholders.contains(id) {
            batch.users.push(mapping::placeholder(id, at));
            self.placeholders.insert(id);
            self.summary.placeholders += 1;
        }
        UserId(id)
    }

    async fn questions(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("question", db.questions(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                let id = local_id(row.id);
                let created = self.created("question", row.created_at);
                let latest = map::latest(created, &[row.updated_at, row.post_update_time]);
                if row.status == PENDING {
                    self.file("question").defaulted(
                        "awaiting review on Answer: imported deleted, for moderators to see",
                    );
                }
                let author = self.author(row.user_id, created, &mut batch);
                self.posts.insert(id);
                self.questions.insert(id);
                self.authors.insert(id, row.user_id);
                if row.accepted_answer_id != 0 {
                    self.accepted
                        .push((PostId(id), PostId(local_id(row.accepted_answer_id))));
                }
                let closed = row.status == CLOSED;
                let text = self.with_local_links(&row.original_text);
                batch.posts.push(BulkPost {
                    category_id: Some(self.category),
                    title: row.title.clone(),
                    tags: self.question_tags.remove(&row.id).unwrap_or_default(),
                    answer_count: row.answer_count,
                    view_count: row.view_count,
                    closed_at: closed.then_some(latest),
                    close_reason: if closed {
                        "closed".to_owned()
                    } else {
                        String::new()
                    },
                    ..post_of(
                        (id, PostKind::Question, author),
                        &text,
                        row.vote_count,
                        (created, latest, row.updated_at),
                        row.status,
                    )
                });
            }
            let candidates = batch.posts.len() as u64;
            self.load("question", last, batch, candidates, |l| l.posts)
                .await?;
            after = last;
        }
        Ok(())
    }

    /// `markdown` with its links to the Answer site's questions and answers made
    /// local (with or without the site's address: the ids differ here); the
    /// revisions keep the text as written.
    fn with_local_links(&mut self, markdown: &str) -> String {
        if !may_link(markdown) {
            return markdown.to_owned();
        }
        let host = self.original_site.as_deref().unwrap_or("");
        let rewriter =
            LinkRewriter::renumbering(host, &self.link_targets, &self.no_users, local_id);
        match rewriter.markdown(markdown) {
            Some(local) => {
                self.summary.links_made_local += 1;
                local
            }
            None => markdown.to_owned(),
        }
    }

    /// A row's creation time, or the import's (said in `table`'s summary).
    fn created(&mut self, table: &str, at: Option<Timestamp>) -> Timestamp {
        match at.filter(|t| *t > 0) {
            Some(at) => at,
            None => {
                self.file(table)
                    .defaulted("without a creation time: the import's");
                ponder_core::time::now()
            }
        }
    }

    async fn answers(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("answer", db.answers(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                let id = local_id(row.id);
                let question = local_id(row.question_id);
                if !self.questions.contains(question) {
                    self.file("answer")
                        .skip("to a question not in the database", id_of(row.id));
                    continue;
                }
                let created = self.created("answer", row.created_at);
                let latest = map::latest(created, &[row.updated_at]);
                if row.status == PENDING {
                    self.file("answer").defaulted(
                        "awaiting review on Answer: imported deleted, for moderators to see",
                    );
                }
                let author = self.author(row.user_id, created, &mut batch);
                self.posts.insert(id);
                self.authors.insert(id, row.user_id);
                let text = self.with_local_links(&row.original_text);
                batch.posts.push(BulkPost {
                    parent_id: Some(PostId(question)),
                    ..post_of(
                        (id, PostKind::Answer, author),
                        &text,
                        row.vote_count,
                        (created, latest, row.updated_at),
                        row.status,
                    )
                });
            }
            let candidates = batch.posts.len() as u64;
            self.load("answer", last, batch, candidates, |l| l.posts)
                .await?;
            after = last;
        }
        Ok(())
    }

    /// Revisions of questions and answers, oldest first: each holds the whole
    /// post as it was. Suggested edits still awaiting review or rejected are not
    /// revisions of the post, and are left out.
    async fn revisions(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("revision", db.revisions(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                let post = local_id(row.object_id);
                if !self.posts.contains(post) {
                    self.file("revision")
                        .skip("of a post not in the database", id_of(row.id));
                    continue;
                }
                if matches!(row.status, 1 | 3) {
                    self.file("revision").skip(
                        "a suggested edit awaiting review or rejected",
                        id_of(row.id),
                    );
                    continue;
                }
                let Some(content) = RevisionContent::parse(&row.content, row.object_type == 1)
                else {
                    self.file("revision")
                        .skip("its content is not a post Answer wrote", id_of(row.id));
                    continue;
                };
                let created = self.created("revision", row.created_at);
                let editor = self.author(row.user_id, created, &mut batch);
                batch.revisions.push(BulkRevision {
                    id: row.id,
                    post_id: PostId(post),
                    editor_id: editor,
                    title: content.title,
                    body: Some(content.body),
                    tags: content.tags,
                    summary: row.log.clone(),
                    created_at: created,
                    guid: None,
                    rollback: false,
                    imported: true,
                    row_ids: [None; 3],
                    licence: None,
                    time_millis: None,
                    editor_name: None,
                });
            }
            let candidates = batch.revisions.len() as u64;
            self.load("revision", last, batch, candidates, |l| l.revisions)
                .await?;
            after = last;
        }
        Ok(())
    }

    async fn comments(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("comment", db.comments(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                let id = local_id(row.id);
                let post = local_id(row.object_id);
                if !self.posts.contains(post) {
                    self.file("comment")
                        .skip("under a post not in the database", id_of(row.id));
                    continue;
                }
                let created = self.created("comment", row.created_at);
                let author = self.author(row.user_id, created, &mut batch);
                self.comments.insert(id);
                batch.comments.push(BulkComment {
                    id: CommentId(id),
                    post_id: PostId(post),
                    author_id: author,
                    body: PostBody::inline(self.with_local_links(&row.original_text)),
                    score: row.vote_count,
                    created_at: created,
                    deleted_at: matches!(row.status, DELETED | PENDING)
                        .then(|| map::latest(created, &[row.updated_at])),
                    owner_name: None,
                    licence: None,
                    time_millis: None,
                });
            }
            let candidates = batch.comments.len() as u64;
            self.load("comment", last, batch, candidates, |l| l.comments)
                .await?;
            after = last;
        }
        Ok(())
    }

    /// Members' votes on posts and comments, as their own votes here.
    async fn votes(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("activity (votes)", db.votes(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                let target = local_id(row.object_id);
                if !self.users.contains(row.user_id) {
                    self.file("activity (votes)")
                        .skip("by a member not in the database", id_of(row.id));
                    continue;
                }
                let created_at = self.created("activity (votes)", row.created_at);
                let user_id = UserId(row.user_id);
                if row.key == "comment.vote_up" {
                    if self.comments.contains(target) {
                        batch.comment_votes.push(BulkCommentVote {
                            comment_id: CommentId(target),
                            user_id,
                            created_at,
                        });
                    } else {
                        self.file("activity (votes)")
                            .skip("on a comment not in the database", id_of(row.id));
                    }
                    continue;
                }
                if !self.posts.contains(target) {
                    self.file("activity (votes)")
                        .skip("on a post not in the database", id_of(row.id));
                    continue;
                }
                if self.authors.get(&target) == Some(&row.user_id) {
                    self.file("activity (votes)")
                        .skip("on the voter's own post", id_of(row.id));
                    continue;
                }
                batch.cast_votes.push(BulkCastVote {
                    post_id: PostId(target),
                    user_id,
                    value: if row.key.ends_with("vote_down") {
                        -1
                    } else {
                        1
                    },
                    created_at,
                });
            }
            let candidates = (batch.cast_votes.len() + batch.comment_votes.len()) as u64;
            self.load("activity (votes)", last, batch, candidates, |l| {
                l.cast_votes + l.comment_votes
            })
            .await?;
            after = last;
        }
        Ok(())
    }

    async fn awards(&mut self) -> Result<(), ExchangeError> {
        let db = Arc::clone(&self.db);
        let mut after = 0;
        while let Some(rows) = self.page("badge_award", db.awards(after)).await? {
            let last = rows.last().map_or(after, Keyed::id);
            let mut batch = BulkBatch::default();
            for row in &rows {
                if !self.users.contains(row.user_id) {
                    self.file("badge_award")
                        .skip("of a member not in the database", id_of(row.id));
                    continue;
                }
                let post = row
                    .award_key
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .map(local_id)
                    .filter(|p| self.posts.contains(*p));
                let awarded_at = self.created("badge_award", row.created_at);
                batch.badges.push(BulkBadge {
                    id: local_id(row.id),
                    user_id: UserId(row.user_id),
                    name: badge_name(&row.name),
                    class: badge_class(row.level).to_owned(),
                    post_id: post.map(PostId),
                    awarded_at,
                    tag_based: false,
                    time_millis: None,
                });
            }
            let candidates = batch.badges.len() as u64;
            self.load("badge_award", last, batch, candidates, |l| l.badges)
                .await?;
            after = last;
        }
        Ok(())
    }

    /// Accepted answers, once every post is in, and the questions each question
    /// or answer links to.
    async fn links(&mut self, has_links: bool) -> Result<(), ExchangeError> {
        let mut batch = BulkBatch {
            accepted: std::mem::take(&mut self.accepted),
            ..BulkBatch::default()
        };
        if has_links {
            let started = Instant::now();
            let rows = self.db.links().await?;
            self.count_read("question_link", rows.len(), started);
            for row in &rows {
                let from = if row.from_answer_id != 0 {
                    local_id(row.from_answer_id)
                } else {
                    local_id(row.from_question_id)
                };
                let to = local_id(row.to_question_id);
                if self.posts.contains(from) && self.questions.contains(to) && from != to {
                    batch.linked.push((PostId(from), PostId(to)));
                } else {
                    self.file("question_link")
                        .skip("between posts not both in the database", id_of(row.id));
                }
            }
        }
        let linked = batch.linked.len() as u64;
        let loaded = self
            .store
            .bulk_load(batch)
            .await
            .map_err(ExchangeError::Database)?;
        self.summary.links.0 = loaded.accepted;
        if has_links {
            let summary = self.file("question_link");
            summary.added += loaded.linked;
            summary.already += linked.saturating_sub(loaded.linked);
        }
        Ok(())
    }

    /// Gives each member's verified address to their account, so that they can
    /// claim it by asking for a link at `/claim`.
    async fn claim_addresses(&mut self) -> Result<(), ExchangeError> {
        let now = ponder_core::time::now();
        let mut given = 0;
        let mut taken = 0;
        for (user, email) in std::mem::take(&mut self.claims) {
            match self.store.set_claim_email(user, &email, now).await {
                Ok(true) => given += 1,
                // Claimed already, by an earlier run's member.
                Ok(false) => {}
                Err(StoreError::Conflict { .. }) => taken += 1,
                Err(other) => return Err(other.into()),
            }
        }
        let note = format!(
            "{given} members can claim their accounts by their verified address (at /claim){}",
            if taken > 0 {
                format!("; {taken} addresses were already another account's")
            } else {
                String::new()
            }
        );
        self.file("user").notes.push(note);
        Ok(())
    }
}

/// What Answer's questions and answers share as a post here: `id`, its kind and
/// author, the Markdown `text`, the score, the times (created, latest, last
/// edited) and the status (deleted or awaiting review: deleted here). The rest
/// is a question's to set.
fn post_of(
    (id, kind, author): (i64, PostKind, UserId),
    text: &str,
    score: i64,
    (created, latest, updated): (Timestamp, Timestamp, Option<Timestamp>),
    status: i64,
) -> BulkPost {
    BulkPost {
        id: PostId(id),
        kind,
        parent_id: None,
        category_id: None,
        author_id: author,
        title: String::new(),
        body: PostBody::from_markdown(text),
        tags: Vec::new(),
        score,
        answer_count: 0,
        comment_count: 0,
        view_count: 0,
        accepted_answer_id: None,
        created_at: created,
        last_activity_at: latest,
        edited_at: updated.filter(|t| *t > created),
        deleted_at: matches!(status, DELETED | PENDING).then_some(latest),
        closed_at: None,
        close_reason: String::new(),
        duplicate_of: None,
        owner_name: None,
        licence: None,
        favorite_count: None,
        community_owned_at: None,
        time_millis: None,
    }
}

/// An id as a summary shows it (ids of real rows are positive).
fn id_of(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}
