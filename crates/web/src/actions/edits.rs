//! Editing a post (directly, or as a suggestion for review), reviewing suggestions,
//! rolling a post back to a revision, deleting and undeleting it. A moderator's change to someone else's
//! post goes to the moderation log.

use super::moderation::log as audit;
use super::{ActionResult, Outcome, writer};
use crate::AppState;
use crate::error::AppError;
use ponder_core::refusal::Refusal;
use ponder_store::{
    EditablePost, NewSuggestedEdit, PostDeletion, PostEdit, StoreError, SuggestedEdit, User,
};

/// `Ok` if `user` may open `post` for editing: not suspended, and the post not
/// locked (moderators edit locked posts).
pub fn check_edit(user: &User, post: &EditablePost) -> Result<(), AppError> {
    let actor = writer(user)?;
    if post.locked && !actor.moderates() {
        return Err(Refusal::PostLockedForEdits.into());
    }
    Ok(())
}

/// `Ok` if `user` may change `post` itself (roll it back, delete or undelete it):
/// its author, or a moderator.
pub fn check_manage(user: &User, post: &EditablePost) -> Result<(), AppError> {
    writer(user)?.require_manager(post.author_id)?;
    Ok(())
}

/// An edit, its fields checked by the transport (title and tags empty for an answer).
#[derive(Debug, Clone)]
pub struct EditInput {
    /// The revision the editor started from.
    pub base_revision: i64,
    /// The new title.
    pub title: String,
    /// The new body, in Markdown.
    pub body: String,
    /// The new tags.
    pub tags: Vec<String>,
    /// What the editor says they changed.
    pub summary: String,
}

/// What an edit became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// Saved as the post's new revision.
    Saved,
    /// Filed as a suggestion (this id) for the author or a reviewer to approve.
    Suggested(i64),
}

/// Edits `post`: saved at once by its author and those with the privilege,
/// filed as a suggestion for everyone else. A second editor who saves from an
/// older revision is refused with [`Refusal::ChangedMeanwhile`], which names the
/// revision now current.
pub async fn edit(
    state: &AppState,
    user: &User,
    post: &EditablePost,
    input: EditInput,
) -> ActionResult<Edited> {
    check_edit(user, post)?;
    let now = ponder_core::time::now();
    let input = EditInput {
        tags: if post.kind == ponder_store::PostKind::Question {
            super::tags::resolve(state, &user.actor(), input.tags, &post.tags).await?
        } else {
            input.tags
        },
        ..input
    };
    if !state
        .privileges()
        .edits_directly(&user.actor(), post.author_id)
    {
        let suggestion = NewSuggestedEdit {
            post: post.id,
            author: user.id,
            base_revision: input.base_revision,
            title: input.title,
            body_markdown: input.body,
            tags: input.tags,
            summary: input.summary,
            created_at: now,
        };
        let id = match state.store.create_suggested_edit(suggestion).await {
            Ok(id) => id,
            Err(StoreError::Conflict { .. }) => {
                return Err(Refusal::AnotherSuggestionWaiting.into());
            }
            Err(other) => return Err(other.into()),
        };
        return Ok(Outcome::thread(post.question_id, Edited::Suggested(id)));
    }
    let summary = input.summary.clone();
    let options = render_options(state, post, &input.tags, &input.body).await?;
    state
        .store
        .edit_post(PostEdit {
            post: post.id,
            editor: user.id,
            base_revision: input.base_revision,
            title: input.title,
            body: crate::rendering::rendered(input.body, options).await?,
            tags: input.tags,
            summary: input.summary,
            at: now,
        })
        .await?;
    audit_if_moderating(state, user, post, "edit", &summary).await;
    Ok(Outcome::thread(post.question_id, Edited::Saved))
}

/// The options to render `post` with once it has `tags` (a question's own; an
/// answer goes by its question's) and `markdown`: its author's reputation read
/// for whether its links are followed.
async fn render_options(
    state: &AppState,
    post: &EditablePost,
    tags: &[String],
    markdown: &str,
) -> Result<ponder_core::markdown::RenderOptions, AppError> {
    let options = if post.kind == ponder_store::PostKind::Question {
        crate::rendering::options_for_tags(state, tags)
    } else {
        crate::rendering::options_for_thread(state, post.question_id).await?
    };
    let author = crate::rendering::Author {
        id: post.author_id,
        reputation: state
            .store
            .user(post.author_id)
            .await?
            .map_or(1, |author| author.reputation),
    };
    crate::rendering::with_site(state, author, markdown, options).await
}

/// Saves the content of `post`'s revision `revision_id` as its new revision; the
/// history stays as it was.
pub async fn roll_back(
    state: &AppState,
    user: &User,
    post: &EditablePost,
    revision_id: i64,
) -> ActionResult<()> {
    check_manage(user, post)?;
    let history = state.store.revisions(post.id).await?;
    let target = history
        .iter()
        .find(|r| r.id == revision_id)
        .ok_or_else(|| {
            AppError::NotFound(format!("Post {} has no revision {revision_id}.", post.id))
        })?;
    let options = render_options(state, post, &target.tags, &target.body_markdown).await?;
    state
        .store
        .edit_post(PostEdit {
            post: post.id,
            editor: user.id,
            base_revision: post.latest_revision,
            title: target.title.clone(),
            body: crate::rendering::rendered(target.body_markdown.clone(), options).await?,
            tags: target.tags.clone(),
            summary: format!("Rolled back to revision {}", target.number),
            at: ponder_core::time::now(),
        })
        .await?;
    Ok(Outcome::thread(post.question_id, ()))
}

/// Deletes `post` (`delete` true) or undeletes it: its author, or a moderator;
/// what flags hid and what a moderator deleted come back only through a moderator.
pub async fn set_deleted(
    state: &AppState,
    user: &User,
    post: &EditablePost,
    delete: bool,
) -> ActionResult<()> {
    check_manage(user, post)?;
    state
        .store
        .change_post_deletion(PostDeletion {
            post: post.id,
            delete,
            by: user.id,
            moderator: user.actor().moderates(),
            reason: String::new(),
            at: ponder_core::time::now(),
        })
        .await?;
    let action = if delete { "delete" } else { "undelete" };
    audit_if_moderating(state, user, post, action, "").await;
    Ok(Outcome::thread(post.question_id, ()))
}

/// Logs `user`'s change to someone else's post when they act as a moderator.
async fn audit_if_moderating(
    state: &AppState,
    user: &User,
    post: &EditablePost,
    action: &str,
    reason: &str,
) {
    if user.id != post.author_id && user.actor().moderates() {
        audit(state, user, action, "post", post.id.0, reason).await;
    }
}

/// `Ok` if `user` may review `suggestion` of `post`: not its own suggester, and the
/// post's author or someone who may edit it directly.
pub fn check_suggestion_review(
    state: &AppState,
    user: &User,
    suggestion: &SuggestedEdit,
    post: &EditablePost,
) -> Result<(), AppError> {
    let actor = writer(user)?;
    if actor.id == suggestion.author.id {
        return Err(Refusal::OwnSuggestion.into());
    }
    state.privileges().check_review(&actor, post.author_id)?;
    Ok(())
}

/// A suggestion reviewed already reads as missing to the store.
fn reviewed_already(err: StoreError) -> AppError {
    match err {
        StoreError::NotFound { .. } => Refusal::AlreadyReviewed.into(),
        other => other.into(),
    }
}

/// Applies `suggestion` to `post` as its new revision and credits its suggester. A
/// post edited since the suggestion was written is refused with
/// [`Refusal::ChangedMeanwhile`].
pub async fn approve_suggestion(
    state: &AppState,
    user: &User,
    suggestion: &SuggestedEdit,
    post: &EditablePost,
) -> ActionResult<()> {
    check_suggestion_review(state, user, suggestion, post)?;
    let options = render_options(state, post, &suggestion.tags, &suggestion.body_markdown).await?;
    state
        .store
        .approve_suggested_edit(
            suggestion.id,
            user.id,
            state.rules(),
            options,
            ponder_core::time::now(),
        )
        .await
        .map_err(reviewed_already)?;
    Ok(Outcome::thread(post.question_id, ()))
}

/// Rejects `suggestion` of `post` with `reason`, which its suggester reads (its
/// shape checked by the transport).
pub async fn reject_suggestion(
    state: &AppState,
    user: &User,
    suggestion: &SuggestedEdit,
    post: &EditablePost,
    reason: &str,
) -> ActionResult<()> {
    check_suggestion_review(state, user, suggestion, post)?;
    state
        .store
        .reject_suggested_edit(suggestion.id, user.id, reason, ponder_core::time::now())
        .await
        .map_err(reviewed_already)?;
    Ok(Outcome::thread(post.question_id, ()))
}
