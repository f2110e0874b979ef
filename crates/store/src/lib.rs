//! The storage boundary of Ponder: the [`Store`] trait that every backend implements,
//! the rows it returns and the inputs it takes ([`types`]), and its error
//! ([`StoreError`], whose [`StoreError::Refused`] carries a rule's
//! `ponder_core::refusal::Refusal`); [`rows`] holds the column lists and row mapping
//! the backends share. The web layer holds an `Arc<dyn Store>` and never writes SQL.
//! The SQL both backends run is written once in `crates/store-sql/` and included by
//! each backend crate (`ponder-store-sqlite`, `ponder-store-postgres`), which keeps
//! its own migrations and dialect (`dialect.rs`).
//!
//! With the `testing` feature, [`conformance`] holds the suite that every backend runs
//! against itself, so that the two behave the same.

pub mod error;
pub mod rows;
pub mod types;

#[cfg(feature = "testing")]
pub mod conformance;

pub use error::{StoreError, StoreResult};
pub use types::*;

use async_trait::async_trait;
use ponder_core::reputation::ReputationRules;
use ponder_core::time::Timestamp;
use ponder_core::{CategoryId, CommentId, PostId, UserId};

/// Everything Ponder reads from and writes to its database.
///
/// Every write runs in one transaction that writes the rows, updates the counters
/// on them and appends to the change log, so a reader never sees one without the other.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The engine's name, for logs and `/readyz`: `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    /// How many SQL statements this store has executed since it was opened. Tests
    /// use it to show that a page's queries do not grow with its content.
    fn queries_executed(&self) -> u64;

    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// True when the site has no users, categories or posts: a fresh install.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Creates a user. A handle or email already taken (without regard to case)
    /// gives [`StoreError::Conflict`].
    async fn create_user(&self, new: NewUser) -> StoreResult<User>;

    /// A user by id, deleted or not.
    async fn user(&self, id: UserId) -> StoreResult<Option<User>>;

    /// Creates a category under `parent` (or at the top). A slug already used by a
    /// sibling gives [`StoreError::Conflict`].
    async fn create_category(&self, new: NewCategory) -> StoreResult<Category>;

    /// The whole category tree, flat, ordered by parent, position and name. Sites
    /// have tens to hundreds of categories, so callers keep the tree and walk it.
    async fn categories(&self) -> StoreResult<Vec<Category>>;

    /// Posts a question, with its first revision and its tags (created as needed).
    async fn create_question(&self, new: NewQuestion) -> StoreResult<PostId>;

    /// Posts an answer to a question, updating its answer count and last activity.
    async fn create_answer(&self, new: NewAnswer) -> StoreResult<PostId>;

    /// Comments on a question or an answer, updating the post's comment count.
    async fn create_comment(&self, new: NewComment) -> StoreResult<CommentId>;

    /// Records `user`'s vote on a post, replacing any earlier vote of theirs, and
    /// moves the post's score and reputation to match (the voter's too, for a
    /// downvote on an answer): undoing the old vote's points, then granting the new
    /// vote's within the author's daily cap. Every point is a ledger row.
    async fn cast_vote(&self, vote: NewVote) -> StoreResult<()>;

    /// Marks `answer` as the accepted answer of `question`, or clears it with `None`,
    /// moving reputation by `rules`.
    async fn accept_answer(
        &self,
        question: PostId,
        answer: Option<PostId>,
        rules: ReputationRules,
    ) -> StoreResult<()>;

    /// One page of questions, filtered and sorted, with the total for paging.
    async fn list_questions(&self, query: &QuestionQuery) -> StoreResult<Page<QuestionSummary>>;

    /// A question with everything its page shows: answers (accepted first, then by
    /// score), the comments of every post, tags and the category path. Runs a fixed
    /// number of queries whatever the number of answers and comments. Deleted posts
    /// are included, marked, for the caller to show only to those who may see them.
    /// `None` when no question has this id.
    async fn question_thread(&self, id: PostId) -> StoreResult<Option<QuestionThread>>;

    /// The question an id belongs to: the id itself for a question, its parent for
    /// an answer; `None` for an unknown or deleted post.
    async fn question_of(&self, post: PostId) -> StoreResult<Option<PostId>>;

    /// One question or answer with its author, without the rest of its thread;
    /// `None` if there is no such post. Deleted posts are returned, marked so.
    async fn post(&self, id: PostId) -> StoreResult<Option<Post>>;

    /// The most used tags, most used first, at most `limit`.
    async fn popular_tags(&self, limit: u32) -> StoreResult<Vec<Tag>>;

    /// A tag by name (exact, as stored lowercase).
    async fn tag(&self, name: &str) -> StoreResult<Option<Tag>>;

    /// A page of a user's answers, newest first, each with its question's title.
    async fn user_answers(&self, user: UserId, page: u32) -> StoreResult<Page<AnswerSummary>>;

    /// Changes after `after`, oldest first, at most `limit` of them. A change may
    /// appear a moment after its write commits (on PostgreSQL, once every older
    /// transaction has ended), but never after a change with a higher id has been
    /// returned: a follower that remembers the last id it saw misses nothing.
    async fn changes_since(&self, after: i64, limit: u32) -> StoreResult<Vec<Change>>;

    /// The number of questions filed in `category` itself (not its descendants).
    async fn category_question_count(&self, category: CategoryId) -> StoreResult<i64>;

    /// The account a log-in names: by handle or by email, without regard to case.
    /// Deleted accounts are not found.
    async fn login_record(&self, login: &str) -> StoreResult<Option<LoginRecord>>;

    /// The same record by user id (deleted accounts are not found).
    async fn login_record_by_id(&self, user: UserId) -> StoreResult<Option<LoginRecord>>;

    /// Stores a new session.
    async fn create_session(&self, new: NewSession) -> StoreResult<()>;

    /// The session with this id hash and its user, if it exists, has not expired at
    /// `now`, and its user is not deleted.
    async fn session(&self, id_hash: &str, now: Timestamp) -> StoreResult<Option<SessionInfo>>;

    /// Ends one session.
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;

    /// The unexpired sessions of `user` at `now`, most recently used first.
    async fn user_sessions(&self, user: UserId, now: Timestamp)
    -> StoreResult<Vec<SessionSummary>>;

    /// Records that a session was used at `at`.
    async fn touch_session(&self, id_hash: &str, at: Timestamp) -> StoreResult<()>;

    /// Ends the session `id_hash` if it is one of `user`'s; whether it was.
    async fn end_user_session(&self, user: UserId, id_hash: &str) -> StoreResult<bool>;

    /// Ends every session of `user` except `keep` (the current one, after a password
    /// change); returns how many ended.
    async fn delete_user_sessions(&self, user: UserId, keep: Option<&str>) -> StoreResult<u64>;

    /// Removes sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;

    /// Changes a user's display name and about text.
    async fn update_profile(&self, user: UserId, edit: ProfileEdit) -> StoreResult<()>;

    /// Replaces a user's password hash (the same password hashed anew, say).
    async fn set_password_hash(&self, user: UserId, hash: &str) -> StoreResult<()>;

    /// Sets a password the user chose (by a reset link or in settings): replaces
    /// the hash and ends every unused reset link of the user, in one transaction,
    /// so that no link mailed before the change still works.
    async fn change_password(&self, user: UserId, hash: &str, at: Timestamp) -> StoreResult<()>;

    /// Changes a user's role.
    async fn set_role(&self, user: UserId, role: Role) -> StoreResult<()>;

    /// Deletes an account the way Stack Exchange does: what they wrote stays, shown
    /// under a placeholder; their handle, email, password, about text, avatar and
    /// sessions go.
    async fn delete_user(&self, user: UserId, at: Timestamp) -> StoreResult<()>;

    /// A page of users, newest first, for administrators.
    async fn list_users(&self, page: u32) -> StoreResult<Page<User>>;

    /// Marks a user's email as verified.
    async fn set_email_verified(&self, user: UserId, at: Timestamp) -> StoreResult<()>;

    /// Stores a single-use token if the user's `allowance` for its purpose has room
    /// at its `created_at` (counting the tokens of that purpose made in the day
    /// before); otherwise stores nothing and answers the seconds until it has.
    /// Checking and storing are one transaction, so racing requests cannot both
    /// pass the check.
    async fn create_email_token_within(
        &self,
        token: NewEmailToken,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>>;

    /// Stores a sign-up waiting for its mailed link if the `allowance` of its
    /// address (counted over the sign-ups sent to it in the day before its
    /// `created_at`) has room; otherwise stores nothing and answers the seconds
    /// until it has. Sign-ups whose links expired are cleared on the way.
    async fn create_signup_within(
        &self,
        signup: NewSignup,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>>;

    /// The sign-up whose token has this hash, if its link still works at `now`.
    async fn pending_signup(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<PendingSignup>>;

    /// Makes the account of the sign-up whose token has this hash, under `handle`
    /// (the one asked for, or another if it was taken meanwhile), with its email
    /// verified, and removes the sign-up: one transaction, so a link makes one
    /// account at most. `None` if the link no longer works at `now`;
    /// [`StoreError::Conflict`] if the handle or the address has an account by now.
    async fn finish_signup(
        &self,
        token_hash: &str,
        handle: &str,
        now: Timestamp,
    ) -> StoreResult<Option<User>>;

    /// Up to `limit` stored texts of `kind` with ids above `after`, in id order.
    async fn stored_texts(
        &self,
        kind: RenderedText,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredText>>;

    /// Replaces the stored HTML of the text of `kind` with this id, if its Markdown
    /// is still `markdown` (an edit since it was read wins); whether it did.
    async fn replace_rendered_html(
        &self,
        kind: RenderedText,
        id: i64,
        markdown: &str,
        html: &ponder_core::markdown::SafeHtml,
    ) -> StoreResult<bool>;

    /// Stores a single-use token.
    async fn create_email_token(&self, token: NewEmailToken) -> StoreResult<()>;

    /// Uses up the token with this hash and purpose if it is unused and not expired
    /// at `now`, returning its user and the address it was sent to. A token works once.
    async fn use_email_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> StoreResult<Option<(UserId, String)>>;

    /// A post as its edit form needs it, deleted or not.
    async fn editable_post(&self, post: PostId) -> StoreResult<Option<EditablePost>>;

    /// Edits a post: writes the new text (and for a question its title and tags),
    /// stores a revision and logs the change. Fails with [`StoreError::Stale`] when
    /// the post has a newer revision than `base_revision`, so a second editor is told
    /// rather than silently overwriting the first. Returns the new revision's id.
    async fn edit_post(&self, edit: PostEdit) -> StoreResult<i64>;

    /// A post's revisions, oldest first.
    async fn revisions(&self, post: PostId) -> StoreResult<Vec<Revision>>;

    /// Deletes (`true`) or undeletes (`false`) a post, moving the counters that
    /// count it. Nothing is removed; doing what is already done is not an error.
    async fn set_post_deleted(&self, post: PostId, deleted: bool, at: Timestamp)
    -> StoreResult<()>;

    /// Deletes or undeletes a post as someone asks, recording who deleted it and
    /// why; refuses (`Invalid`) what [`PostDeletion`]'s rules do not allow.
    async fn change_post_deletion(&self, change: PostDeletion) -> StoreResult<()>;

    /// A post's score (deleted or not).
    async fn post_score(&self, post: PostId) -> StoreResult<Option<i64>>;

    /// The post a comment is under.
    async fn comment_post(&self, comment: CommentId) -> StoreResult<Option<PostId>>;

    /// The questions whose threads hold any of `posts` or `comments`, deleted or
    /// not, in id order and each once: what a change-log follower must refresh.
    /// Two queries at most, whatever the number of ids.
    async fn thread_questions(
        &self,
        posts: &[PostId],
        comments: &[CommentId],
    ) -> StoreResult<Vec<PostId>>;

    /// A user's reputation ledger, newest first, at most `limit` rows; an event
    /// names its question only while the post and the question are not deleted.
    async fn reputation_events(
        &self,
        user: UserId,
        limit: u32,
    ) -> StoreResult<Vec<ReputationEvent>>;

    /// A user's badges, oldest first.
    async fn badges(&self, user: UserId) -> StoreResult<Vec<Badge>>;

    /// Replays the reputation ledger and lists every user whose stored reputation
    /// differs from it; with `apply`, stores the replayed values.
    async fn recompute_reputation(&self, apply: bool) -> StoreResult<Vec<ReputationMismatch>>;

    /// Upvotes a comment, or withdraws the upvote if there was one; returns whether
    /// the user's upvote now stands and the new score.
    async fn toggle_comment_vote(
        &self,
        comment: CommentId,
        user: UserId,
        at: Timestamp,
    ) -> StoreResult<(bool, i64)>;

    /// What `user` voted on a question's page: two statements, whatever its size.
    async fn viewer_votes(&self, user: UserId, question: PostId) -> StoreResult<ViewerVotes>;

    /// Stores a suggested edit; [`StoreError::Conflict`] when the post already has one pending.
    async fn create_suggested_edit(&self, new: NewSuggestedEdit) -> StoreResult<i64>;

    /// A suggested edit by id.
    async fn suggested_edit(&self, id: i64) -> StoreResult<Option<SuggestedEdit>>;

    /// The suggestion pending on a post, if any.
    async fn pending_suggestion(&self, post: PostId) -> StoreResult<Option<SuggestedEdit>>;

    /// The pending suggestions on a question and its answers: (post, suggestion id).
    async fn pending_suggestions_in(&self, question: PostId) -> StoreResult<Vec<(PostId, i64)>>;

    /// Pending suggestions, oldest first.
    async fn pending_suggestions(&self, limit: u32) -> StoreResult<Vec<SuggestedEdit>>;

    /// Applies a pending suggestion as a revision credited to its author, who gains
    /// `rules.edit_approved`; [`StoreError::Stale`] if the post changed since it was
    /// written. Returns the new revision's id.
    async fn approve_suggested_edit(
        &self,
        id: i64,
        reviewer: UserId,
        rules: ReputationRules,
        at: Timestamp,
    ) -> StoreResult<i64>;

    /// Rejects a pending suggestion with a reason.
    async fn reject_suggested_edit(
        &self,
        id: i64,
        reviewer: UserId,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Search documents for the whole threads these posts belong to: each question
    /// and all its answers, deleted ones too (marked, so the index can drop them).
    /// Two statements for any number of posts.
    async fn search_documents(&self, posts: &[PostId]) -> StoreResult<Vec<SearchDoc>>;

    /// The Markdown source of each of `posts` that exists (deleted ones too), in no
    /// particular order: one statement, for cutting search snippets.
    async fn post_bodies(&self, posts: &[PostId]) -> StoreResult<Vec<(PostId, String)>>;

    /// The ids of up to `limit` questions after `after`, in id order, for rebuilding
    /// the index in batches.
    async fn question_ids_after(&self, after: PostId, limit: u32) -> StoreResult<Vec<PostId>>;

    /// The id of the newest change of `kind` after change `after` (0 when there is
    /// none): whether a bulk load happened since the search index was built, say.
    /// Reads only the changes after `after`.
    async fn last_change_of(
        &self,
        kind: ponder_core::changes::ChangeKind,
        after: i64,
    ) -> StoreResult<i64>;

    /// Where the feed's site-wide subscriber `subscriber` stands: the id of the
    /// last change it took in (0 before its first).
    async fn feed_position(&self, subscriber: &str) -> StoreResult<i64>;

    /// Moves `subscriber`'s stored position on to `position` (never back).
    async fn set_feed_position(
        &self,
        subscriber: &str,
        position: i64,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// The lease of `work` that must run on one node at a time, if no other node
    /// holds it now (`None` then: try again later). On PostgreSQL an advisory
    /// lock, released when the lease is dropped or the node dies; on SQLite the
    /// site is one process, which always leads.
    async fn lead(&self, work: &str) -> StoreResult<Option<Lease>>;

    /// The newest change's id (0 when there is none).
    async fn last_change_id(&self) -> StoreResult<i64>;

    /// Loads rows with the ids and counters they carry, in one transaction, for
    /// generators and importers: no revisions, reputation events or per-row change
    /// log entries are written (one `bulk.loaded` change marks the batch; rebuild
    /// the search index afterwards). Tags are created as needed and counted. Rows
    /// whose id is taken are skipped, so a batch loaded twice adds nothing.
    async fn bulk_load(&self, batch: BulkBatch) -> StoreResult<BulkLoaded>;

    /// Counts answers, comments and tag uses afresh from the rows, after bulk loads
    /// whose counters may not add up (an import that skipped rows, say).
    async fn recount(&self) -> StoreResult<()>;

    /// Drops the secondary indexes of posts and comments for a long bulk load, keeping
    /// their definitions with the import record of `source` (which must exist), so
    /// that [`Store::restore_indexes`] makes them again, even after a crash.
    async fn suspend_indexes(&self, source: &str) -> StoreResult<()>;

    /// Makes again the indexes [`Store::suspend_indexes`] dropped for `source`.
    async fn restore_indexes(&self, source: &str) -> StoreResult<()>;

    /// How many users and posts the site has (to refuse imports into a site whose
    /// ids they would collide with).
    async fn content_counts(&self) -> StoreResult<(i64, i64)>;

    /// The record of imports from `source`, if there was one.
    async fn import_run(&self, source: &str) -> StoreResult<Option<ImportRun>>;

    /// Records that an import from `source` started (once) or finished (`finished`).
    async fn record_import(&self, source: &str, finished: bool, at: Timestamp) -> StoreResult<()>;

    /// Up to `limit` users after id `after`, in id order, deleted ones too.
    async fn export_users(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkUser>>;

    /// Up to `limit` posts after id `after`, in id order, with their tags, accepted
    /// answers and duplicate links (three statements a page).
    async fn export_posts(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkPost>>;

    /// Up to `limit` comments after id `after`, in id order.
    async fn export_comments(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkComment>>;

    /// Up to `limit` tags after id `after`, in id order.
    async fn export_tags(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkTag>>;

    /// Up to `limit` votes on posts after id `after`, in id order.
    async fn export_votes(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkVote>>;

    /// Up to `limit` badges after id `after`, in id order.
    async fn export_badges(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkBadge>>;

    /// Raises a flag (one per user per post or comment: a second is a
    /// [`StoreError::Conflict`]). Spam and rude flags that reach `hide_threshold` hide
    /// the post (a soft delete) and cost its author `hide_penalty`, or hide the
    /// comment. Returns whether this flag hid it.
    async fn create_flag(&self, flag: NewFlag) -> StoreResult<bool>;

    /// Pending flags, grouped by post.
    async fn pending_flags(&self, limit: u32) -> StoreResult<Vec<FlagView>>;

    /// Marks a pending flag helpful or declined.
    async fn resolve_flag(
        &self,
        id: i64,
        moderator: UserId,
        helpful: bool,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Reverses a hiding by flags: undeletes the post, gives back `penalty`, and
    /// declines its spam and rude flags.
    async fn restore_hidden_post(
        &self,
        post: PostId,
        moderator: UserId,
        penalty: i64,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Reverses a comment's hiding by flags: shows it again and declines its spam and
    /// rude flags. Refused when the comment is not hidden or was not hidden by flags.
    async fn restore_hidden_comment(&self, comment: CommentId) -> StoreResult<()>;

    /// Records a vote to close or reopen; at `threshold` votes the question changes
    /// state and its votes of that kind are cleared. Returns whether it changed and
    /// how many votes there were.
    async fn cast_close_vote(&self, vote: NewCloseVote) -> StoreResult<(bool, i64)>;

    /// Standing votes on a question: (to close, to reopen).
    async fn close_votes(&self, question: PostId) -> StoreResult<(i64, i64)>;

    /// Locks or unlocks a post.
    async fn set_locked(&self, post: PostId, locked: bool, at: Timestamp) -> StoreResult<()>;

    /// Protects or unprotects a question.
    async fn set_protected(
        &self,
        question: PostId,
        protected: bool,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Suspends a user until `until` with a reason, or lifts it with `None`.
    async fn set_suspension(
        &self,
        user: UserId,
        until: Option<Timestamp>,
        reason: &str,
    ) -> StoreResult<()>;

    /// Writes an entry of the moderation log.
    async fn log_moderation(
        &self,
        moderator: UserId,
        action: &str,
        target_kind: &str,
        target_id: i64,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// A page of the moderation log, newest first.
    async fn moderation_log(&self, page: u32) -> StoreResult<Page<ModerationEntry>>;

    /// First posts waiting for review, oldest first, leaving out the reviewer's own
    /// posts and tasks they skipped.
    async fn review_tasks(&self, reviewer: UserId, limit: u32) -> StoreResult<Vec<ReviewTask>>;

    /// Approves or rejects a first post's review task.
    async fn resolve_review(
        &self,
        id: i64,
        reviewer: UserId,
        approve: bool,
        reason: &str,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Skips a task (`first_post` or `suggestion`) for this reviewer.
    async fn skip_review(&self, task_kind: &str, id: i64, reviewer: UserId) -> StoreResult<()>;

    /// The suggestions this reviewer skipped.
    async fn skipped_suggestions(&self, reviewer: UserId) -> StoreResult<Vec<i64>>;

    /// Stores (or replaces) a user's uploaded avatar.
    async fn set_avatar(&self, user: UserId, avatar: Avatar) -> StoreResult<()>;

    /// A user's uploaded avatar, if any.
    async fn avatar(&self, user: UserId) -> StoreResult<Option<Avatar>>;
}
