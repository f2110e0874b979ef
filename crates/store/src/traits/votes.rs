//! [`VoteStore`]: votes, acceptance, reputation and badges.

use crate::*;
use async_trait::async_trait;
use ponder_core::reputation::ReputationRules;
use ponder_core::time::Timestamp;
use ponder_core::{CommentId, PostId, UserId};

/// Votes, acceptance, reputation and badges.
#[async_trait]
pub trait VoteStore: Send + Sync {
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
}
