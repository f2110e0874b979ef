//! Following and the inbox: following and unfollowing a question, a tag, a
//! category or a user; marking inbox items read; moderators' messages to members.
//! None of these changes what a visitor sees, so none makes a page stale.

use super::{ActionResult, Changed, Outcome, writer};
use crate::AppState;
use crate::error::AppError;
use ponder_core::UserId;
use ponder_core::input::{Lines, check_characters};
use ponder_core::notices::{FollowKind, FollowLevel};
use ponder_core::refusal::Refusal;
use ponder_store::{Notice, StoreError, User};

/// The longest moderator's message, in characters.
pub const MESSAGE_MAX: usize = 2_000;

/// An outcome that changed nothing a page shows.
fn unseen<T>(value: T) -> Outcome<T> {
    Outcome {
        value,
        changed: Changed::Nothing,
    }
}

/// `user` follows `target` of `kind` at `level`: refused when they follow it at
/// that level already, or when there is no such thing; another level replaces
/// theirs.
pub async fn follow(
    state: &AppState,
    user: &User,
    kind: FollowKind,
    target: i64,
    level: FollowLevel,
) -> ActionResult<()> {
    let now_level = state.store.follow_level(user.id, kind, target).await?;
    if now_level == Some(level) {
        return Err(Refusal::AlreadyFollowing.into());
    }
    state
        .store
        .follow(user.id, kind, target, level, ponder_core::time::now())
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => Refusal::NothingToFollow.into(),
            other => AppError::from(other),
        })?;
    Ok(unseen(()))
}

/// `user` stops following `target` of `kind`: refused when they do not follow it.
pub async fn unfollow(
    state: &AppState,
    user: &User,
    kind: FollowKind,
    target: i64,
) -> ActionResult<()> {
    if !state.store.unfollow(user.id, kind, target).await? {
        return Err(Refusal::NotFollowing.into());
    }
    Ok(unseen(()))
}

/// Marks `user`'s item `id` read and answers it; another member's item, or none,
/// is refused as not found.
pub async fn mark_read(state: &AppState, user: &User, id: i64) -> ActionResult<Notice> {
    let notice = state
        .store
        .mark_notice_read(user.id, id, ponder_core::time::now())
        .await?
        .ok_or(Refusal::NoSuchNotice)?;
    Ok(unseen(notice))
}

/// Marks every item of `user`'s read; answers how many were unread.
pub async fn mark_all_read(state: &AppState, user: &User) -> ActionResult<u64> {
    let marked = state
        .store
        .mark_all_notices_read(user.id, ponder_core::time::now())
        .await?;
    Ok(unseen(marked))
}

/// A moderator's message to `target`, for their inbox (and the moderation log):
/// moderators only, 1 to [`MESSAGE_MAX`] characters, not to themselves.
pub async fn message_member(
    state: &AppState,
    moderator: &User,
    target: UserId,
    message: &str,
) -> ActionResult<i64> {
    writer(moderator)?.require_moderator()?;
    let message = message.trim();
    if message.is_empty() || message.chars().count() > MESSAGE_MAX {
        return Err(AppError::BadRequest(format!(
            "Write the message the member will read (at most {MESSAGE_MAX} characters)."
        )));
    }
    check_characters(message, Lines::Many)
        .map_err(|m| AppError::BadRequest(format!("In the message, {m}.")))?;
    if target == moderator.id {
        return Err(AppError::BadRequest(
            "A message goes to another member.".into(),
        ));
    }
    let id = state
        .store
        .message_user(moderator.id, target, message, ponder_core::time::now())
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => Refusal::NoSuchUser { user: target }.into(),
            other => AppError::from(other),
        })?;
    Ok(unseen(id))
}
