//! [`LinkStore`]: what a post's links and mentions point at, looked up before it is
//! rendered, the questions linked to and from a thread, and the related questions
//! stored for one.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;
use ponder_core::{PostId, UserId};

/// Links between posts, and the lookups rendering needs.
#[async_trait]
pub trait LinkStore: Send + Sync {
    /// The titles of those of `ids` that are live questions.
    async fn question_titles(&self, ids: &[PostId]) -> StoreResult<Vec<(PostId, String)>>;

    /// The live members with these handles (compared without regard to case): the
    /// lower-cased handle and the member's id.
    async fn members_by_handles(&self, handles: &[String]) -> StoreResult<Vec<(String, UserId)>>;

    /// What a question's page lists beside it, in one statement: the live
    /// questions linked from any live post of `question`'s thread or linking to it
    /// from one of theirs (highest score first, at most `limit`), and its related
    /// questions as last stored: the part of [`ReadStore::question_page`] beside the
    /// thread, empty for an id that is not a question's.
    async fn thread_links(&self, question: PostId, limit: u32) -> StoreResult<ThreadLinks>;

    /// The linked questions of [`LinkStore::thread_links`].
    async fn linked_questions(
        &self,
        question: PostId,
        limit: u32,
    ) -> StoreResult<Vec<LinkedQuestion>> {
        Ok(self.thread_links(question, limit).await?.linked)
    }

    /// `question`'s related questions as last stored, if a list is stored (none
    /// was, or its question was edited since).
    async fn related_questions(&self, question: PostId) -> StoreResult<Option<RelatedList>> {
        Ok(self.thread_links(question, 0).await?.related)
    }

    /// Stores each question's related questions, best first, as computed at `at`,
    /// in place of what was stored; a question or related question that no longer
    /// exists is passed over.
    async fn store_related(
        &self,
        lists: &[(PostId, Vec<PostId>)],
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Up to `limit` live questions whose related list is not stored or was computed
    /// before `older_than`, those never computed first, then the oldest, from past
    /// `after` (from the start if `None`). Read from an index of the lists' times:
    /// its cost does not grow with the questions that are not due.
    async fn related_due(
        &self,
        after: Option<RelatedDuePosition>,
        older_than: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<RelatedSubject>>;
}
