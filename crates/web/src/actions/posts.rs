//! Asking a question, answering one, commenting on a post.

use super::{ActionResult, Outcome, writer};
use crate::AppState;
use crate::auth::limits::PostingKind;
use crate::error::AppError;
use ponder_core::refusal::Refusal;
use ponder_core::{CategoryId, CommentId, PostId};
use ponder_store::{NewAnswer, NewComment, NewQuestion, Post, PostKind, User};

/// A question to ask, its fields checked by the transport.
#[derive(Debug, Clone)]
pub struct AskInput {
    /// The title.
    pub title: String,
    /// The body, in Markdown.
    pub body: String,
    /// The tags.
    pub tags: Vec<String>,
    /// The category it is filed in.
    pub category: CategoryId,
}

/// Asks a question; its id.
pub async fn ask(state: &AppState, user: &User, input: AskInput) -> ActionResult<PostId> {
    let actor = writer(user)?;
    state
        .limits()
        .check_posting(PostingKind::Question, actor.id)?;
    let tags = super::tags::resolve(state, &actor, input.tags, &[]).await?;
    let id = state
        .store
        .create_question(NewQuestion {
            author: actor.id,
            category: input.category,
            title: input.title,
            body: crate::rendering::post_body(
                state,
                user.into(),
                input.body,
                crate::rendering::options_for_tags(state, &tags),
            )
            .await?,
            tags,
            created_at: ponder_core::time::now(),
        })
        .await?;
    Ok(Outcome::thread(id, id))
}

/// The question with this id, if it is one and not deleted.
pub async fn live_question(state: &AppState, id: PostId) -> Result<Post, AppError> {
    state
        .store
        .post(id)
        .await?
        .filter(|q| q.kind == PostKind::Question && !q.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no question {id} to answer.")))
}

/// Why the viewer may not answer this question, if they may not.
pub fn answer_refusal(
    question: &Post,
    viewer: Option<&ponder_store::User>,
    privileges: &ponder_core::reputation::Privileges,
) -> Option<Refusal> {
    if question.closed_reason.is_some() {
        return Some(Refusal::QuestionClosed);
    }
    if question.locked {
        return Some(Refusal::QuestionLocked);
    }
    if viewer.is_some_and(|v| v.is_suspended(ponder_core::time::now())) {
        return Some(Refusal::SuspendedCannotAnswer);
    }
    if question.protected {
        let actor = viewer.map(ponder_store::User::actor);
        return privileges.check_answer_protected(actor.as_ref()).err();
    }
    None
}

/// `Ok` if `user` may answer `question` now: not suspended, and the question
/// neither closed, locked nor protected from them. The answer form asks first, to
/// refuse before reading what was typed.
pub fn check_answer(state: &AppState, user: &User, question: &Post) -> Result<(), AppError> {
    writer(user)?;
    match answer_refusal(question, Some(user), &state.privileges()) {
        Some(refusal) => Err(refusal.into()),
        None => Ok(()),
    }
}

/// Answers `question` (read with [`live_question`]) with `body`, its shape checked
/// by the transport; the new answer's id.
pub async fn answer(
    state: &AppState,
    user: &User,
    question: &Post,
    body: String,
) -> ActionResult<PostId> {
    check_answer(state, user, question)?;
    state.limits().check_posting(PostingKind::Answer, user.id)?;
    let options = crate::rendering::options_for_thread(state, question.id).await?;
    let answer = state
        .store
        .create_answer(NewAnswer {
            question: question.id,
            author: user.id,
            body: crate::rendering::post_body(state, user.into(), body, options).await?,
            created_at: ponder_core::time::now(),
        })
        .await?;
    Ok(Outcome::thread(question.id, answer))
}

/// A post to comment on, as the comment form needs it.
#[derive(Debug, Clone)]
pub struct CommentTarget {
    /// The question of the thread.
    pub question: Post,
    /// The answer commented on, or `None` for the question itself.
    pub answer: Option<Post>,
}

impl CommentTarget {
    /// The post commented on.
    pub fn post(&self) -> &Post {
        self.answer.as_ref().unwrap_or(&self.question)
    }
}

/// The thread of `post` for a comment on it: its question, and the answer if it is
/// one (neither deleted).
pub async fn comment_target(state: &AppState, post: PostId) -> Result<CommentTarget, AppError> {
    let missing = || AppError::NotFound(format!("There is no post {post} to comment on."));
    let question_id = state.store.question_of(post).await?.ok_or_else(missing)?;
    let question = state.store.post(question_id).await?.ok_or_else(missing)?;
    let answer = if post == question_id {
        None
    } else {
        let found = state.store.post(post).await?.filter(|a| !a.deleted);
        Some(found.ok_or_else(missing)?)
    };
    Ok(CommentTarget { question, answer })
}

/// `Ok` if `user` may comment on the target's post now: not suspended, the post
/// not locked, and theirs, an answer to their question, or the privilege held.
pub fn check_comment(
    state: &AppState,
    user: &User,
    target: &CommentTarget,
) -> Result<(), AppError> {
    let actor = writer(user)?;
    let post = target.post();
    if post.locked {
        return Err(Refusal::PostLockedForComments.into());
    }
    state
        .privileges()
        .check_comment(&actor, post.author.id, target.question.author.id)?;
    Ok(())
}

/// Comments on the target's post (read with [`comment_target`]) with `body`, its
/// shape checked by the transport; the new comment's id.
pub async fn comment(
    state: &AppState,
    user: &User,
    target: &CommentTarget,
    body: String,
) -> ActionResult<CommentId> {
    check_comment(state, user, target)?;
    state
        .limits()
        .check_posting(PostingKind::Comment, user.id)?;
    let comment = state
        .store
        .create_comment(NewComment {
            post: target.post().id,
            author: user.id,
            body: crate::rendering::comment_body(state, body).await?,
            created_at: ponder_core::time::now(),
        })
        .await?;
    Ok(Outcome::thread(target.question.id, comment))
}
