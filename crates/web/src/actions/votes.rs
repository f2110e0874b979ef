//! Votes on posts and comments, and accepting an answer.

use super::{ActionResult, Outcome, Place, writer};
use crate::AppState;
use crate::error::AppError;
use ponder_core::CommentId;
use ponder_core::refusal::Refusal;
use ponder_core::rules::Privilege;
use ponder_store::{EditablePost, NewVote, User, VoteValue};

/// Casts `user`'s vote on the post at `place` (read with [`super::place`]), or
/// withdraws it with [`VoteValue::None`]: up- and downvotes need their privilege.
pub async fn vote(
    state: &AppState,
    user: &User,
    place: &Place,
    value: VoteValue,
) -> ActionResult<()> {
    let actor = writer(user)?;
    match value {
        VoteValue::Up => state.privileges().check(&actor, Privilege::VoteUp)?,
        VoteValue::Down => state.privileges().check(&actor, Privilege::VoteDown)?,
        VoteValue::None => {}
    }
    state
        .store
        .cast_vote(NewVote {
            post: place.post,
            user: actor.id,
            value,
            created_at: ponder_core::time::now(),
            rules: state.rules(),
        })
        .await?;
    Ok(Outcome::thread(place.question, ()))
}

/// What toggling a comment vote left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentVote {
    /// Whether the user's upvote stands now.
    pub voted: bool,
    /// The comment's score now.
    pub score: i64,
}

/// Upvotes `comment`, or withdraws `user`'s upvote; needs the upvote privilege.
pub async fn vote_comment(
    state: &AppState,
    user: &User,
    comment: CommentId,
) -> ActionResult<CommentVote> {
    let actor = writer(user)?;
    state.privileges().check(&actor, Privilege::VoteUp)?;
    let (voted, score) = state
        .store
        .toggle_comment_vote(comment, actor.id, ponder_core::time::now())
        .await?;
    let question = match state.store.comment_post(comment).await? {
        Some(post) => state.store.question_of(post).await?,
        None => None,
    }
    .ok_or_else(|| AppError::NotFound("There is no such comment.".into()))?;
    Ok(Outcome::thread(question, CommentVote { voted, score }))
}

/// Accepts `answer` (read with `editable_post`) as the answer to its question, or,
/// with `accept` false, withdraws the acceptance: only the asker may.
pub async fn accept(
    state: &AppState,
    user: &User,
    answer: &EditablePost,
    accept: bool,
) -> ActionResult<()> {
    let actor = writer(user)?;
    let asker = state
        .store
        .editable_post(answer.question_id)
        .await?
        .map(|q| q.author_id)
        .ok_or_else(|| AppError::NotFound("The question is gone.".into()))?;
    if asker != actor.id {
        return Err(Refusal::AskersOnly.into());
    }
    state
        .store
        .accept_answer(
            answer.question_id,
            accept.then_some(answer.id),
            state.rules(),
        )
        .await?;
    Ok(Outcome::thread(answer.question_id, ()))
}
