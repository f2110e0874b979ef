//! Moderation on the web: flags, closing and reopening, locks and protection,
//! restoring what flags hid, suspensions, the review queue and the moderation log.
//!
//! Moderators act at once; users with the reputation for it flag and vote to close.
//! Every moderator action is written to the moderation log, and nothing here removes
//! content: hiding is a soft delete that can be reversed.

use super::auth::see_other;
use super::parse_id;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::forms::form_error;
use crate::views::{
    AuthorCard, FlagGroup, FlagItem, Head, Link, ModLogPage, ModLogRow, ModerationFlagsPage,
    Moment, Pager, ReviewItem, ReviewPage, question_path, render, user_path,
};
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ponder_core::markdown::plain_excerpt;
use ponder_core::paging::{page_count, parse_page};
use ponder_core::refusal::Refusal;
use ponder_core::rules::Privilege;
use ponder_core::{CommentId, PostId, UserId};
use ponder_store::{FlagKind, NewCloseVote, NewFlag, StoreError, User};
use serde::Deserialize;

/// Writes a moderator's action to the log; a failure to log is logged, not shown.
pub async fn audit(
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

/// A store's error for a flag or a vote to close: a second one from the same
/// user breaks a unique key, which is the user repeating themselves.
fn refusal(err: StoreError) -> AppError {
    match err {
        StoreError::Conflict { .. } => Refusal::AlreadyDone.into(),
        other => other.into(),
    }
}

/// The question page of a post, with its anchor.
async fn place_of(state: &AppState, post: PostId) -> Result<String, AppError> {
    let found = state
        .store
        .editable_post(post)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no post {post}.")))?;
    let path = question_path(found.question_id, &found.question_title);
    Ok(if found.question_id == post {
        path
    } else {
        format!("{path}#answer-{post}")
    })
}

/// A flag form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlagForm {
    csrf: String,
    kind: String,
    message: String,
}

async fn raise_flag(
    state: &AppState,
    ctx: &Ctx,
    post: PostId,
    comment: Option<CommentId>,
    input: FlagForm,
) -> Result<Response, AppError> {
    let back = place_of(state, post).await?;
    let user = ctx.require_writer(&back)?.clone();
    ctx.verify_csrf(&input.csrf)?;
    state.privileges.check(&user.actor(), Privilege::Flag)?;
    let kind = FlagKind::parse(&input.kind).ok_or_else(|| {
        AppError::BadRequest(
            "Choose what is wrong: spam, rude, not_an_answer or needs_moderator.".into(),
        )
    })?;
    let message = input.message.trim().to_owned();
    if kind == FlagKind::NeedsModerator && message.is_empty() {
        return Err(AppError::BadRequest(
            "Say what a moderator should look at.".into(),
        ));
    }
    if message.chars().count() > 500 {
        return Err(AppError::BadRequest(
            "Keep the message under 500 characters.".into(),
        ));
    }
    let moderator = user.actor().moderates();
    let hidden = state
        .store
        .create_flag(NewFlag {
            post,
            comment,
            user: user.id,
            kind,
            message: message.clone(),
            at: ponder_core::time::now(),
            hide_threshold: if moderator {
                1
            } else {
                state.moderation.spam_flags
            },
            hide_penalty: state.moderation.spam_penalty,
        })
        .await
        .map_err(refusal)?;
    if moderator && hidden {
        let (target_kind, id) = comment.map_or(("post", post.0), |c| ("comment", c.0));
        audit(
            state,
            &user,
            &format!("flag_{}", kind.as_str()),
            target_kind,
            id,
            &message,
        )
        .await;
    }
    Ok(see_other(&back, None))
}

/// `POST /posts/{id}/flag`.
pub async fn flag_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Result<Form<FlagForm>, FormRejection>,
) -> Result<Response, AppError> {
    let post = PostId(parse_id(&id, "post")?);
    let Form(input) = form.map_err(form_error)?;
    raise_flag(&state, &ctx, post, None, input).await
}

/// `POST /comments/{id}/flag`.
pub async fn flag_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Result<Form<FlagForm>, FormRejection>,
) -> Result<Response, AppError> {
    let comment = CommentId(parse_id(&id, "comment")?);
    let post = state
        .store
        .comment_post(comment)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such comment.".into()))?;
    let Form(input) = form.map_err(form_error)?;
    raise_flag(&state, &ctx, post, Some(comment), input).await
}

/// A close or reopen form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CloseForm {
    csrf: String,
    reason: String,
    duplicate_of: String,
    off_topic: String,
}

/// The stored reason for a close form, and the original for a duplicate.
fn close_reason(state: &AppState, input: &CloseForm) -> Result<(String, Option<PostId>), AppError> {
    Ok(match input.reason.as_str() {
        "duplicate" => {
            let original = input
                .duplicate_of
                .trim()
                .trim_start_matches('#')
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| {
                    AppError::BadRequest(
                        "Give the number of the question this one duplicates.".into(),
                    )
                })?;
            ("duplicate".to_owned(), Some(PostId(original)))
        }
        "needs_details" => ("needs details or clarity".to_owned(), None),
        "needs_focus" => ("needs more focus".to_owned(), None),
        "opinion_based" => ("opinion-based".to_owned(), None),
        "off_topic" => {
            let index = input.off_topic.parse::<usize>().ok();
            let why = index
                .and_then(|i| state.off_topic_reasons.get(i))
                .ok_or_else(|| AppError::BadRequest("Choose why it is off-topic.".into()))?;
            (format!("off-topic: {why}"), None)
        }
        _ => return Err(AppError::BadRequest("Choose a reason to close.".into())),
    })
}

async fn vote_state(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    input: CloseForm,
    close: bool,
) -> Result<Response, AppError> {
    let question = PostId(parse_id(id, "question")?);
    let back = place_of(state, question).await?;
    let user = ctx.require_writer(&back)?.clone();
    ctx.verify_csrf(&input.csrf)?;
    let moderator = user.actor().moderates();
    let privilege = if close {
        Privilege::VoteToClose
    } else {
        Privilege::VoteToReopen
    };
    state.privileges.check(&user.actor(), privilege)?;
    let (reason, duplicate_of) = if close {
        close_reason(state, &input)?
    } else {
        (String::new(), None)
    };
    let (changed, _) = state
        .store
        .cast_close_vote(NewCloseVote {
            question,
            user: user.id,
            close,
            reason: reason.clone(),
            duplicate_of,
            at: ponder_core::time::now(),
            threshold: if moderator {
                1
            } else {
                state.moderation.close_votes
            },
        })
        .await
        .map_err(refusal)?;
    if moderator && changed {
        audit(
            state,
            &user,
            if close { "close" } else { "reopen" },
            "post",
            question.0,
            &reason,
        )
        .await;
    }
    Ok(see_other(&back, None))
}

/// `POST /posts/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Result<Form<CloseForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(input) = form.map_err(form_error)?;
    vote_state(&state, &ctx, &id, input, true).await
}

/// `POST /posts/{id}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Result<Form<CloseForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(input) = form.map_err(form_error)?;
    vote_state(&state, &ctx, &id, input, false).await
}

/// A form with a token and an optional reason.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    csrf: String,
    reason: String,
    days: String,
}

/// `POST /posts/{id}/mod/{action}`: lock, unlock, protect, unprotect or restore.
pub async fn post_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Result<Response, AppError> {
    let post = PostId(parse_id(&id, "post")?);
    let back = place_of(&state, post).await?;
    let moderator = ctx.require_moderator(&back)?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    let now = ponder_core::time::now();
    match action.as_str() {
        "lock" => state.store.set_locked(post, true, now).await,
        "unlock" => state.store.set_locked(post, false, now).await,
        "protect" => state.store.set_protected(post, true, now).await,
        "unprotect" => state.store.set_protected(post, false, now).await,
        "restore" => {
            state
                .store
                .restore_hidden_post(post, moderator.id, state.moderation.spam_penalty, now)
                .await
        }
        _ => return Err(AppError::NotFound("There is no such action.".into())),
    }
    .map_err(refusal)?;
    audit(
        &state,
        &moderator,
        &action,
        "post",
        post.0,
        input.reason.trim(),
    )
    .await;
    Ok(see_other(&back, None))
}

/// `POST /comments/{id}/mod/restore`: shows a comment that flags hid.
pub async fn restore_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Result<Response, AppError> {
    let moderator = ctx.require_moderator("/mod/flags")?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    let comment = CommentId(parse_id(&id, "comment")?);
    state
        .store
        .restore_hidden_comment(comment)
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => AppError::NotFound("There is no such comment.".into()),
            other => refusal(other),
        })?;
    audit(
        &state,
        &moderator,
        "restore_comment",
        "comment",
        comment.0,
        input.reason.trim(),
    )
    .await;
    Ok(see_other("/mod/flags", None))
}

/// `POST /users/{id}/suspend` (days, reason) and `/users/{id}/unsuspend`.
pub async fn suspension(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Result<Response, AppError> {
    let target = UserId(parse_id(&id, "user")?);
    let user = state
        .store
        .user(target)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {target}.")))?;
    let back = user_path(user.id, &user.display_name);
    let moderator = ctx.require_moderator(&back)?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    if user.actor().moderates() {
        return Err(Refusal::ModeratorNotSuspended.into());
    }
    match action.as_str() {
        "suspend" => {
            let days = input
                .days
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=365).contains(d))
                .ok_or_else(|| AppError::BadRequest("Suspend for 1 to 365 days.".into()))?;
            let reason = input.reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                return Err(AppError::BadRequest(
                    "Give the reason the user will see (at most 500 characters).".into(),
                ));
            }
            let until = ponder_core::time::now() + days * 86_400;
            state
                .store
                .set_suspension(target, Some(until), reason)
                .await?;
            audit(
                &state,
                &moderator,
                "suspend",
                "user",
                target.0,
                &format!("{days} days: {reason}"),
            )
            .await;
        }
        "unsuspend" => {
            state.store.set_suspension(target, None, "").await?;
            audit(
                &state,
                &moderator,
                "lift_suspension",
                "user",
                target.0,
                input.reason.trim(),
            )
            .await;
        }
        _ => return Err(AppError::NotFound("There is no such action.".into())),
    }
    Ok(see_other(&back, None))
}

/// `GET /mod/flags`: pending flags, grouped by post.
pub async fn flags_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require_moderator("/mod/flags")?;
    let flags = state.store.pending_flags(500).await?;
    let now = ponder_core::time::now();
    let mut groups: Vec<FlagGroup> = Vec::new();
    for f in flags {
        let key = (f.post_id.0, f.comment_id.map(|c| c.0));
        let item = FlagItem {
            id: f.id,
            kind: FlagKind::parse(&f.kind).map_or("flag", |k| k.label()),
            message: f.message.clone(),
            flagger: AuthorCard::new(&f.flagger),
            when: Moment::new(f.created_at, now),
        };
        match groups
            .last_mut()
            .filter(|g| (g.post_id, g.comment_id) == key)
        {
            Some(group) => group.flags.push(item),
            None => {
                let path = question_path(f.question_id, &f.question_title);
                let url = if f.question_id == f.post_id {
                    path
                } else {
                    format!("{path}#answer-{}", f.post_id)
                };
                groups.push(FlagGroup {
                    post_id: f.post_id.0,
                    comment_id: f.comment_id.map(|c| c.0),
                    link: Link {
                        label: f.question_title.clone(),
                        url,
                    },
                    excerpt: plain_excerpt(&f.text, 300),
                    target_deleted: f.target_deleted,
                    flags: vec![item],
                });
            }
        }
    }
    Ok(render(&ModerationFlagsPage {
        head: Head::new(&ctx, "Flags", "Flags waiting for a moderator."),
        groups,
    }))
}

/// `POST /mod/flags/{id}/{verdict}`: helpful or decline.
pub async fn resolve_flag(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, verdict)): Path<(String, String)>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Result<Response, AppError> {
    let moderator = ctx.require_moderator("/mod/flags")?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    let flag = parse_id(&id, "flag")?;
    let helpful = match verdict.as_str() {
        "helpful" => true,
        "decline" => false,
        _ => return Err(AppError::NotFound("There is no such verdict.".into())),
    };
    state
        .store
        .resolve_flag(flag, moderator.id, helpful, ponder_core::time::now())
        .await
        .map_err(|e| match e {
            StoreError::NotFound { .. } => AppError::from(Refusal::FlagHandledAlready),
            other => other.into(),
        })?;
    audit(
        &state,
        &moderator,
        if helpful {
            "flag_helpful"
        } else {
            "flag_declined"
        },
        "flag",
        flag,
        input.reason.trim(),
    )
    .await;
    Ok(see_other("/mod/flags", None))
}

/// `?page=`.
#[derive(Debug, Default, Deserialize)]
pub struct PageParam {
    page: Option<String>,
}

/// `GET /mod/log`.
pub async fn log_page(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<PageParam>, QueryRejection>,
) -> Result<Response, AppError> {
    ctx.require_moderator("/mod/log")?;
    let page = parse_page(query.ok().and_then(|q| q.0.page).as_deref())
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let log = state.store.moderation_log(page).await?;
    let pages = page_count(log.total, log.per_page);
    if page > pages {
        return Err(AppError::NotFound(format!(
            "There is no page {page}; there are {pages}."
        )));
    }
    let now = ponder_core::time::now();
    let rows = log
        .items
        .into_iter()
        .map(|e| ModLogRow {
            moderator: AuthorCard::new(&e.moderator),
            action: e.action,
            target: match e.target_kind.as_str() {
                "post" => Link {
                    label: format!("post {}", e.target_id),
                    url: format!("/questions/{}", e.target_id),
                },
                "user" => Link {
                    label: format!("user {}", e.target_id),
                    url: format!("/users/{}", e.target_id),
                },
                other => Link {
                    label: format!("{other} {}", e.target_id),
                    url: String::new(),
                },
            },
            reason: e.reason,
            when: Moment::new(e.created_at, now),
        })
        .collect();
    Ok(render(&ModLogPage {
        head: Head::new(&ctx, "Moderation log", "Every moderator action."),
        rows,
        pager: Pager::new(page, pages, |n| format!("/mod/log?page={n}")),
    }))
}

/// Refuses anyone who may not review (2,000 reputation, or a moderator).
fn require_reviewer<'a>(ctx: &'a Ctx, state: &AppState) -> Result<&'a User, AppError> {
    let user = ctx.require_writer("/review")?;
    state
        .privileges
        .check(&user.actor(), Privilege::EditOthers)?;
    Ok(user)
}

/// `GET /review`: suggested edits and first posts waiting for review.
pub async fn review_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let reviewer = require_reviewer(&ctx, &state)?.clone();
    let now = ponder_core::time::now();
    let skipped = state.store.skipped_suggestions(reviewer.id).await?;
    let mut suggestions = Vec::new();
    for s in state.store.pending_suggestions(100).await? {
        if skipped.contains(&s.id) || s.author.id == reviewer.id {
            continue;
        }
        let Some(post) = state.store.editable_post(s.post_id).await? else {
            continue;
        };
        if state
            .privileges
            .check_review(&reviewer.actor(), post.author_id)
            .is_err()
        {
            continue;
        }
        suggestions.push(ReviewItem {
            id: s.id,
            link: Link {
                label: post.question_title.clone(),
                url: format!("/suggested-edits/{}", s.id),
            },
            excerpt: if s.summary.is_empty() {
                plain_excerpt(&s.body_markdown, 200)
            } else {
                s.summary.clone()
            },
            author: AuthorCard::new(&s.author),
            when: Moment::new(s.created_at, now),
        });
    }
    let first_posts = state
        .store
        .review_tasks(reviewer.id, 50)
        .await?
        .into_iter()
        .map(|t| {
            let path = question_path(t.question_id, &t.question_title);
            ReviewItem {
                id: t.id,
                link: Link {
                    label: t.question_title.clone(),
                    url: if t.question_id == t.post_id {
                        path
                    } else {
                        format!("{path}#answer-{}", t.post_id)
                    },
                },
                excerpt: plain_excerpt(&t.text, 300),
                author: AuthorCard::new(&t.author),
                when: Moment::new(t.created_at, now),
            }
        })
        .collect();
    Ok(render(&ReviewPage {
        head: Head::new(&ctx, "Review", "Posts waiting for a second pair of eyes."),
        suggestions,
        first_posts,
    }))
}

/// `POST /review/{queue}/{id}/{action}`: approve, reject (with a reason) or skip a
/// first post; skip a suggestion (suggestions are approved on their own page).
pub async fn review_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((queue, id, action)): Path<(String, String, String)>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Result<Response, AppError> {
    let reviewer = require_reviewer(&ctx, &state)?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    let id = parse_id(&id, "review task")?;
    let now = ponder_core::time::now();
    match (queue.as_str(), action.as_str()) {
        ("first-posts", "approve") => {
            state
                .store
                .resolve_review(id, reviewer.id, true, "", now)
                .await
        }
        ("first-posts", "reject") => {
            let reason = input.reason.trim();
            if reason.is_empty() {
                return Err(AppError::BadRequest(
                    "Say why, so the author can do better.".into(),
                ));
            }
            state
                .store
                .resolve_review(id, reviewer.id, false, reason, now)
                .await
        }
        ("first-posts", "skip") => state.store.skip_review("first_post", id, reviewer.id).await,
        ("suggestions", "skip") => state.store.skip_review("suggestion", id, reviewer.id).await,
        _ => return Err(AppError::NotFound("There is no such review action.".into())),
    }
    .map_err(|e| match e {
        StoreError::NotFound { .. } => AppError::from(Refusal::AlreadyReviewed),
        other => other.into(),
    })?;
    if reviewer.actor().moderates() && action != "skip" {
        audit(
            &state,
            &reviewer,
            &format!("review_{action}"),
            "review_task",
            id,
            input.reason.trim(),
        )
        .await;
    }
    Ok(see_other("/review", None))
}
