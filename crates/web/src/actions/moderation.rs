//! Moderation: flags and their verdicts, votes to close and reopen, locks and
//! protection, restoring what flags hid, suspensions, and the review queue. A
//! moderator's vote or flag is always enough; everything a moderator does goes to
//! the moderation log ([`log`]).

use super::{ActionResult, Changed, Outcome, Place, writer};
use crate::AppState;
use crate::error::AppError;
use ponder_core::input::{Lines, check_characters};
use ponder_core::refusal::Refusal;
use ponder_core::rules::Privilege;
use ponder_core::{CommentId, PostId};
use ponder_store::{FlagKind, NewCloseVote, NewFlag, StoreError, User};

/// Writes a moderator's action to the log; a failure to log is logged, not shown.
pub async fn log(
    state: &AppState,
    moderator: &User,
    action: &str,
    target_kind: &str,
    target_id: i64,
    reason: &str,
) {
    if let Err(err) = state
        .store
        .log_moderation(
            moderator.id,
            action,
            target_kind,
            target_id,
            reason,
            ponder_core::time::now(),
        )
        .await
    {
        tracing::error!(%err, action, "the moderation log could not be written");
    }
}

/// A user repeating a flag or a vote breaks a unique key: they did it already.
fn repeated(err: StoreError) -> AppError {
    match err {
        StoreError::Conflict { .. } => Refusal::AlreadyDone.into(),
        other => other.into(),
    }
}

/// An outcome that may have changed anything a page shows.
fn everything() -> Outcome<()> {
    Outcome {
        value: (),
        changed: Changed::Everything,
    }
}

/// The longest message a flag or a moderator's reason may carry, in characters.
pub const MESSAGE_MAX: usize = 500;

/// A flag to raise.
#[derive(Debug, Clone)]
pub struct FlagInput {
    /// What is wrong.
    pub kind: FlagKind,
    /// What the flagger says (needed for [`FlagKind::NeedsModerator`]).
    pub message: String,
    /// The comment flagged, or `None` for the post itself.
    pub comment: Option<CommentId>,
}

/// Flags the post at `place`, or one of its comments: the privilege is needed; a
/// moderator's flag hides spam and rudeness at once. Whether the target is hidden
/// now.
pub async fn flag(
    state: &AppState,
    user: &User,
    place: &Place,
    input: FlagInput,
) -> ActionResult<bool> {
    let actor = writer(user)?;
    state.privileges().check(&actor, Privilege::Flag)?;
    let message = input.message.trim().to_owned();
    if input.kind == FlagKind::NeedsModerator && message.is_empty() {
        return Err(AppError::BadRequest(
            "Say what a moderator should look at.".into(),
        ));
    }
    if message.chars().count() > MESSAGE_MAX {
        return Err(AppError::BadRequest(
            "Keep the message under 500 characters.".into(),
        ));
    }
    check_characters(&message, Lines::Many)
        .map_err(|m| AppError::BadRequest(format!("In the message, {m}.")))?;
    let moderator = actor.moderates();
    let hidden = state
        .store
        .create_flag(NewFlag {
            post: place.post,
            comment: input.comment,
            user: actor.id,
            kind: input.kind,
            message: message.clone(),
            at: ponder_core::time::now(),
            hide_threshold: if moderator {
                1
            } else {
                state.moderation().spam_flags
            },
            hide_penalty: state.moderation().spam_penalty,
        })
        .await
        .map_err(repeated)?;
    if moderator && hidden {
        let (target_kind, id) = input
            .comment
            .map_or(("post", place.post.0), |c| ("comment", c.0));
        let action = format!("flag_{}", input.kind.as_str());
        log(state, user, &action, target_kind, id, &message).await;
    }
    Ok(Outcome::thread(place.question, hidden))
}

/// A vote to close (with its reason) or to reopen a question.
#[derive(Debug, Clone)]
pub struct StateVote {
    /// Close (true) or reopen (false).
    pub close: bool,
    /// Why it should close (empty to reopen).
    pub reason: String,
    /// The question it duplicates, when that is the reason.
    pub duplicate_of: Option<PostId>,
}

/// The reason stored for a vote to close with reason `name` (`duplicate`,
/// `needs_details`, `needs_focus`, `opinion_based` or `off_topic`), and the
/// original for a duplicate: `duplicate_of` names it, `off_topic` the index of one
/// of the site's off-topic reasons. Refused 400 when the reason or what it needs
/// is missing.
pub fn close_reason(
    state: &AppState,
    name: &str,
    duplicate_of: Option<i64>,
    off_topic: Option<usize>,
) -> Result<(String, Option<PostId>), AppError> {
    Ok(match name {
        "duplicate" => {
            let original = duplicate_of.filter(|id| *id > 0).ok_or_else(|| {
                AppError::BadRequest("Give the number of the question this one duplicates.".into())
            })?;
            ("duplicate".to_owned(), Some(PostId(original)))
        }
        "needs_details" => ("needs details or clarity".to_owned(), None),
        "needs_focus" => ("needs more focus".to_owned(), None),
        "opinion_based" => ("opinion-based".to_owned(), None),
        "off_topic" => {
            let why = off_topic
                .and_then(|i| state.off_topic_reasons().into_iter().nth(i))
                .ok_or_else(|| AppError::BadRequest("Choose why it is off-topic.".into()))?;
            (format!("off-topic: {why}"), None)
        }
        _ => return Err(AppError::BadRequest("Choose a reason to close.".into())),
    })
}

/// Votes to close or reopen the question at `place`: the privilege is needed; a
/// moderator's vote decides at once. Whether the question's state changed.
pub async fn vote_on_state(
    state: &AppState,
    user: &User,
    place: &Place,
    vote: StateVote,
) -> ActionResult<bool> {
    let actor = writer(user)?;
    let privilege = if vote.close {
        Privilege::VoteToClose
    } else {
        Privilege::VoteToReopen
    };
    state.privileges().check(&actor, privilege)?;
    let moderator = actor.moderates();
    let (changed, _) = state
        .store
        .cast_close_vote(NewCloseVote {
            question: place.post,
            user: actor.id,
            close: vote.close,
            reason: vote.reason.clone(),
            duplicate_of: vote.duplicate_of,
            at: ponder_core::time::now(),
            threshold: if moderator {
                1
            } else {
                state.moderation().close_votes
            },
        })
        .await
        .map_err(repeated)?;
    if moderator && changed {
        let action = if vote.close { "close" } else { "reopen" };
        log(state, user, action, "post", place.post.0, &vote.reason).await;
    }
    Ok(Outcome::thread(place.question, changed))
}

/// What a moderator does to a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostModeration {
    /// No more edits, votes, answers or comments.
    Lock,
    /// Lifts a lock.
    Unlock,
    /// Only users with reputation earned on the site may answer.
    Protect,
    /// Lifts protection.
    Unprotect,
    /// Brings back what flags hid, with its author's reputation.
    Restore,
}

impl PostModeration {
    /// The action named in a URL (`lock`, `unlock`, `protect`, `unprotect`, `restore`).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "lock" => Self::Lock,
            "unlock" => Self::Unlock,
            "protect" => Self::Protect,
            "unprotect" => Self::Unprotect,
            "restore" => Self::Restore,
            _ => return None,
        })
    }

    /// Its name, as the URL and the moderation log spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lock => "lock",
            Self::Unlock => "unlock",
            Self::Protect => "protect",
            Self::Unprotect => "unprotect",
            Self::Restore => "restore",
        }
    }
}

/// Locks, unlocks, protects, unprotects or restores the post at `place`:
/// moderators only.
pub async fn moderate_post(
    state: &AppState,
    user: &User,
    place: &Place,
    action: PostModeration,
    reason: &str,
) -> ActionResult<()> {
    writer(user)?.require_moderator()?;
    let (post, now) = (place.post, ponder_core::time::now());
    match action {
        PostModeration::Lock => state.store.set_locked(post, true, now).await,
        PostModeration::Unlock => state.store.set_locked(post, false, now).await,
        PostModeration::Protect => state.store.set_protected(post, true, now).await,
        PostModeration::Unprotect => state.store.set_protected(post, false, now).await,
        PostModeration::Restore => {
            state
                .store
                .restore_hidden_post(post, user.id, state.moderation().spam_penalty, now)
                .await
        }
    }?;
    log(state, user, action.as_str(), "post", post.0, reason.trim()).await;
    Ok(Outcome::thread(place.question, ()))
}

/// Shows a comment that flags hid: moderators only.
pub async fn restore_comment(
    state: &AppState,
    user: &User,
    comment: CommentId,
    reason: &str,
) -> ActionResult<()> {
    writer(user)?.require_moderator()?;
    state
        .store
        .restore_hidden_comment(comment)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => AppError::NotFound("There is no such comment.".into()),
            other => other.into(),
        })?;
    let reason = reason.trim();
    log(state, user, "restore_comment", "comment", comment.0, reason).await;
    Ok(everything())
}

/// A suspension to start or lift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suspension {
    /// For this many days (1 to 365), with the reason the user sees.
    For {
        /// How long.
        days: i64,
        /// Why, as the user will read it.
        reason: String,
    },
    /// Lifted, with the moderator's note for the log.
    Lifted {
        /// Why, for the log.
        reason: String,
    },
}

/// Suspends `target` or lifts their suspension: moderators only, and moderators
/// are not suspended.
pub async fn suspend(
    state: &AppState,
    user: &User,
    target: &User,
    change: Suspension,
) -> ActionResult<()> {
    writer(user)?.require_moderator()?;
    if target.actor().moderates() {
        return Err(Refusal::ModeratorNotSuspended.into());
    }
    match change {
        Suspension::For { days, reason } => {
            if !(1..=365).contains(&days) {
                return Err(AppError::BadRequest("Suspend for 1 to 365 days.".into()));
            }
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > MESSAGE_MAX {
                return Err(AppError::BadRequest(
                    "Give the reason the user will see (at most 500 characters).".into(),
                ));
            }
            check_characters(reason, Lines::Many)
                .map_err(|m| AppError::BadRequest(format!("In the reason, {m}.")))?;
            let until = ponder_core::time::now() + days * 86_400;
            state
                .store
                .set_suspension(target.id, Some(until), reason)
                .await?;
            let note = format!("{days} days: {reason}");
            log(state, user, "suspend", "user", target.id.0, &note).await;
        }
        Suspension::Lifted { reason } => {
            state.store.set_suspension(target.id, None, "").await?;
            let reason = reason.trim();
            log(state, user, "lift_suspension", "user", target.id.0, reason).await;
        }
    }
    Ok(everything())
}

/// Marks `flag` helpful or declines it: moderators only; a flag handled already is
/// refused with [`Refusal::FlagHandledAlready`].
pub async fn resolve_flag(
    state: &AppState,
    user: &User,
    flag: i64,
    helpful: bool,
    reason: &str,
) -> ActionResult<()> {
    writer(user)?.require_moderator()?;
    state
        .store
        .resolve_flag(flag, user.id, helpful, ponder_core::time::now())
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => AppError::from(Refusal::FlagHandledAlready),
            other => other.into(),
        })?;
    let action = if helpful {
        "flag_helpful"
    } else {
        "flag_declined"
    };
    log(state, user, action, "flag", flag, reason.trim()).await;
    Ok(everything())
}

/// `Ok` if `user` may work the review queue: the privilege to edit others' posts.
pub fn check_reviewer(state: &AppState, user: &User) -> Result<(), AppError> {
    let actor = writer(user)?;
    state.privileges().check(&actor, Privilege::EditOthers)?;
    Ok(())
}

/// A reviewer's verdict on a task of the review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A first post is fine.
    Approve,
    /// A first post is not, and this is why (the author reads it).
    Reject(String),
    /// Not for this reviewer: it leaves their queue.
    Skip,
}

/// The two queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// New users' first posts.
    FirstPosts,
    /// Suggested edits (approved on their own page; here only skipped).
    Suggestions,
}

/// Gives `verdict` on task `id` of `queue`: the review privilege is needed; a task
/// reviewed already is refused with [`Refusal::AlreadyReviewed`].
pub async fn review(
    state: &AppState,
    user: &User,
    queue: Queue,
    id: i64,
    verdict: Verdict,
) -> ActionResult<()> {
    check_reviewer(state, user)?;
    let now = ponder_core::time::now();
    let (action, reason) = match &verdict {
        Verdict::Approve => ("approve", ""),
        Verdict::Reject(reason) => ("reject", reason.trim()),
        Verdict::Skip => ("skip", ""),
    };
    let done = match (queue, &verdict) {
        (Queue::FirstPosts, Verdict::Approve) => {
            state.store.resolve_review(id, user.id, true, "", now).await
        }
        (Queue::FirstPosts, Verdict::Reject(_)) => {
            if reason.is_empty() {
                return Err(AppError::BadRequest(
                    "Say why, so the author can do better.".into(),
                ));
            }
            state
                .store
                .resolve_review(id, user.id, false, reason, now)
                .await
        }
        (Queue::FirstPosts, Verdict::Skip) => {
            state.store.skip_review("first_post", id, user.id).await
        }
        (Queue::Suggestions, Verdict::Skip) => {
            state.store.skip_review("suggestion", id, user.id).await
        }
        (Queue::Suggestions, _) => {
            return Err(AppError::NotFound("There is no such review action.".into()));
        }
    };
    done.map_err(|e| match e {
        StoreError::NotFound { .. } => AppError::from(Refusal::AlreadyReviewed),
        other => other.into(),
    })?;
    if user.actor().moderates() && verdict != Verdict::Skip {
        let action = format!("review_{action}");
        log(state, user, &action, "review_task", id, reason).await;
    }
    Ok(everything())
}
