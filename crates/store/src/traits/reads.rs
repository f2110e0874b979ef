//! [`ReadStore`]: what pages read: users, categories, question lists and threads, posts, tags, and the change log.

use crate::*;
use async_trait::async_trait;
use ponder_core::{CategoryId, CommentId, PostId, UserId};

/// What pages read: users, categories, question lists and threads, posts, tags, and the change log.
#[async_trait]
pub trait ReadStore: Send + Sync {
    /// True when the site has no users, categories or posts: a fresh install.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// A user by id, deleted or not.
    async fn user(&self, id: UserId) -> StoreResult<Option<User>>;

    /// The whole category tree, flat, ordered by parent, position and name. Sites
    /// have tens to hundreds of categories, so callers keep the tree and walk it.
    async fn categories(&self) -> StoreResult<Vec<Category>>;

    /// One page of questions, filtered and sorted, with the total for paging.
    async fn list_questions(&self, query: &QuestionQuery) -> StoreResult<Page<QuestionSummary>>;

    /// A question with everything its page shows: answers (accepted first, then by
    /// score), the comments of every post, tags and the category path, read in one
    /// statement as [`ReadStore::question_page`] reads it, whatever the number of
    /// answers and comments. Deleted posts are included, marked, for the caller to
    /// show only to those who may see them. `None` when no question has this id.
    async fn question_thread(&self, id: PostId) -> StoreResult<Option<QuestionThread>>;

    /// What a question's page reads: [`ReadStore::question_thread`] and what
    /// `LinkStore::thread_links` gives with `linked_limit`, seen in one state of the
    /// database, in one statement (each statement is a round trip, through the
    /// driver's thread on SQLite or the socket on PostgreSQL; read apart, the page's
    /// parts took twelve). `None` when no question has this id.
    async fn question_page(
        &self,
        id: PostId,
        linked_limit: u32,
    ) -> StoreResult<Option<(QuestionThread, ThreadLinks)>>;

    /// The question an id belongs to: the id itself for a question, its parent for
    /// an answer; `None` for an unknown or deleted post.
    async fn question_of(&self, post: PostId) -> StoreResult<Option<PostId>>;

    /// One question or answer with its author, without the rest of its thread;
    /// `None` if there is no such post. Deleted posts are returned, marked so.
    async fn post(&self, id: PostId) -> StoreResult<Option<Post>>;

    /// The most used tags, most used first, at most `limit`.
    async fn popular_tags(&self, limit: u32) -> StoreResult<Vec<Tag>>;

    /// A page of the tags that questions carry, in `sort` order.
    async fn list_tags(
        &self,
        sort: ponder_core::paging::TagSort,
        page: u32,
    ) -> StoreResult<Page<Tag>>;

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

    /// The highest post id (0 on an empty site): the sitemap's parts are ranges
    /// of ids below it.
    async fn max_post_id(&self) -> StoreResult<i64>;

    /// The visible questions (not deleted) with ids in `from..until`, in id order:
    /// their id, title and last activity, for a part of the sitemap.
    async fn sitemap_questions(
        &self,
        from: i64,
        until: i64,
    ) -> StoreResult<Vec<(PostId, String, ponder_core::time::Timestamp)>>;

    /// The newest change's id (0 when there is none).
    async fn last_change_id(&self) -> StoreResult<i64>;
}
