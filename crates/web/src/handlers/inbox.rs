//! `/inbox` and what goes with it: the items, opening one (which marks it read),
//! marking one or all read, the achievements page, the follow buttons' form,
//! `/users/{id}/following`, and a moderator's message to a member.

use super::{category_tree, parse_id};
use crate::AppState;
use crate::actions::inbox as actions;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::handlers::auth::safe_next;
use crate::handlers::help::LISTED;
use crate::views::{
    AchievementRow, AchievementsPage, BadgeRow, FollowButton, FollowingPage, FollowingRow, Head,
    InboxPage, InboxRow, MessagePage, Moment, Pager, notice_target, question_path, render,
    tag_path, user_path,
};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use ponder_core::notices::{FollowKind, FollowLevel};
use ponder_core::paging::parse_page;
use ponder_core::text::{count, thousands};
use ponder_core::time::DateTime;
use ponder_core::{CategoryId, UserId};
use serde::Deserialize;

/// `?page=`.
#[derive(Debug, Default, Deserialize)]
pub struct PageParam {
    page: Option<String>,
}

/// The page number asked for (1 when none; 400 when it is not one).
fn page_of(query: Result<Query<PageParam>, QueryRejection>) -> Result<u32, AppError> {
    let Query(params) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    parse_page(params.page.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// The follow button of `kind` `id` for the viewer, showing how they follow it
/// now; `None` for a visitor.
pub async fn follow_button(
    state: &AppState,
    ctx: &Ctx,
    kind: FollowKind,
    id: i64,
    what: impl Into<String>,
    next: impl Into<String>,
) -> Result<Option<FollowButton>, AppError> {
    let Some(viewer) = ctx.viewer.as_ref() else {
        return Ok(None);
    };
    let level = state.store.follow_level(viewer.id, kind, id).await?;
    Ok(Some(FollowButton::new(kind, id, what, level, next)))
}

/// `GET /inbox?page=`.
pub async fn show_inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<PageParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/inbox")?;
    let page = page_of(query)?;
    let inbox = state.store.inbox(user.id, page).await?;
    let pages = super::pages_of(page, &inbox)?;
    let now = ponder_core::time::now();
    let rows: Vec<InboxRow> = inbox.items.iter().map(|n| InboxRow::new(n, now)).collect();
    let title = if ctx.unread > 0 {
        format!("Inbox ({})", ctx.unread)
    } else {
        "Inbox".to_owned()
    };
    Ok(render(&InboxPage {
        head: Head::new(&ctx, title, "Your inbox."),
        any_unread: ctx.unread > 0,
        total_label: count(inbox.total, "item", "items"),
        rows,
        pager: Pager::new(page, pages, |n| format!("/inbox?page={n}")),
    }))
}

/// `GET /inbox/{id}/open`: marks the item read and goes where it points. Only the
/// member's own items open; any other id is not found.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/inbox")?;
    let id = parse_id(&id, "inbox item")?;
    let done = actions::mark_read(&state, user, id).await?;
    Ok(done.see_other(&notice_target(&done.value)))
}

/// A form with nothing but its token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    csrf: String,
}

/// `POST /inbox/{id}/read`.
pub async fn read_one(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/inbox")?;
    form.checked()?;
    let id = parse_id(&id, "inbox item")?;
    let done = actions::mark_read(&state, user, id).await?;
    Ok(done.see_other("/inbox"))
}

/// `POST /inbox/read-all`.
pub async fn read_all(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/inbox")?;
    form.checked()?;
    let done = actions::mark_all_read(&state, user).await?;
    Ok(done.see_other("/inbox"))
}

/// `GET /inbox/achievements?page=`: reputation by day and post with the running
/// total and the privileges each change reached; badges on the first page.
pub async fn achievements(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<PageParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/inbox/achievements")?;
    let page = page_of(query)?;
    let history = state.store.reputation_history(user.id, page).await?;
    let pages = super::pages_of(page, &history)?;
    let privileges = state.privileges();
    let rows = history
        .items
        .iter()
        .map(|g| {
            let before = g.total_after - g.amount;
            let mut reached: Vec<&'static str> = LISTED
                .into_iter()
                .filter(|p| {
                    let needed = privileges.needed(*p);
                    before < needed && needed <= g.total_after
                })
                .map(|p| p.action())
                .collect();
            reached.dedup();
            AchievementRow {
                day: DateTime::from_timestamp(g.day * 86_400).date(),
                post: g
                    .question
                    .as_ref()
                    .map(|(id, title)| (title.clone(), question_path(*id, title))),
                amount: if g.amount >= 0 {
                    format!("+{}", g.amount)
                } else {
                    g.amount.to_string()
                },
                gained: g.amount >= 0,
                events: count(g.events, "event", "events"),
                total: thousands(g.total_after),
                reached,
            }
        })
        .collect();
    let now = ponder_core::time::now();
    let badges = if page == 1 {
        let mut earned = state.store.badges(user.id).await?;
        earned.reverse();
        earned
            .into_iter()
            .map(|b| BadgeRow {
                name: b.name,
                class: b.class,
                when: Moment::new(b.awarded_at, now),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&AchievementsPage {
        head: Head::new(&ctx, "Achievements", "Your reputation and badges."),
        reputation: thousands(user.reputation),
        rows,
        badges,
        pager: Pager::new(page, pages, |n| format!("/inbox/achievements?page={n}")),
    }))
}

/// The follow buttons' form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FollowForm {
    csrf: String,
    kind: String,
    id: String,
    action: String,
    next: String,
}

/// `POST /follow`: `action` is `follow`, `unfollow`, or the level to follow at
/// (`inbox`, `digest`); then back to `next` (a path on this site).
pub async fn follow(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<FollowForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/")?;
    let input = form.checked()?;
    let kind = FollowKind::parse(input.kind.trim()).ok_or_else(|| {
        AppError::BadRequest("Follow a question, a tag, a category or a user.".into())
    })?;
    let id = parse_id(input.id.trim(), kind.as_str())?;
    let done = match input.action.trim() {
        "unfollow" => actions::unfollow(&state, user, kind, id).await?,
        "follow" => actions::follow(&state, user, kind, id, FollowLevel::Inbox).await?,
        other => {
            let level = FollowLevel::parse(other).ok_or_else(|| {
                AppError::BadRequest("Choose to follow, to unfollow, or where news goes.".into())
            })?;
            actions::follow(&state, user, kind, id, level).await?
        }
    };
    Ok(done.see_other(&safe_next(Some(&input.next))))
}

/// `GET /users/{id}/following?page=`: what a member follows, for the member
/// themselves and moderators (to others it is not found: it is theirs).
pub async fn following(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    query: Result<Query<PageParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let here = format!(
        "/users/{}/following",
        id.chars().take(20).collect::<String>()
    );
    let viewer = ctx.require_user(&here)?;
    let id = UserId(parse_id(&id, "user")?);
    let own = viewer.id == id;
    let owner = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted && (own || viewer.actor().moderates()))
        .ok_or_else(|| AppError::NotFound(format!("There is no list of user {id} to show.")))?;
    let page = page_of(query)?;
    let followed = state.store.following(id, page).await?;
    let pages = super::pages_of(page, &followed)?;
    let here = format!("/users/{id}/following");
    let needs_tree = followed
        .items
        .iter()
        .any(|f| f.kind == FollowKind::Category);
    let tree = if needs_tree {
        Some(category_tree(&state).await?)
    } else {
        None
    };
    let rows = followed
        .items
        .iter()
        .map(|f| {
            let (kind, url) = match f.kind {
                FollowKind::Question => (
                    "Question",
                    question_path(ponder_core::PostId(f.target_id), &f.label),
                ),
                FollowKind::Tag => ("Tag", tag_path(&f.label)),
                FollowKind::Category => (
                    "Category",
                    tree.as_ref()
                        .map(|t| t.url(CategoryId(f.target_id)))
                        .unwrap_or_default(),
                ),
                FollowKind::User => ("User", user_path(UserId(f.target_id), &f.label)),
            };
            FollowingRow {
                kind,
                label: f.label.clone(),
                url,
                level: match f.level {
                    FollowLevel::Inbox => "inbox",
                    FollowLevel::Digest => "digest only",
                },
                button: FollowButton::new(
                    f.kind,
                    f.target_id,
                    f.label.clone(),
                    Some(f.level),
                    here.clone(),
                ),
            }
        })
        .collect();
    Ok(render(&FollowingPage {
        head: Head::new(
            &ctx,
            format!("Followed by {}", owner.display_name),
            "What a member follows.",
        ),
        owner_url: user_path(owner.id, &owner.display_name),
        owner: owner.display_name,
        own,
        total_label: count(followed.total, "thing followed", "things followed"),
        rows,
        pager: Pager::new(page, pages, |n| format!("{here}?page={n}")),
    }))
}

/// `?prefix=` of the participants list.
#[derive(Debug, Default, Deserialize)]
pub struct PrefixParam {
    prefix: Option<String>,
}

/// The most participants one lookup answers.
const PARTICIPANTS_SHOWN: u32 = 8;

/// `GET /api/v1/questions/{id}/participants?prefix=`: the handles and names of
/// those who wrote in the thread, for the comment box's `@` suggestions (JSON,
/// `{"users": [{"handle", "name"}]}`). A prefix longer than a handle finds nobody.
pub async fn participants(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<PrefixParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let id = ponder_core::PostId(parse_id(&id, "question")?);
    let prefix = query.ok().and_then(|q| q.0.prefix).unwrap_or_default();
    let found = if prefix.chars().count() > ponder_core::accounts::HANDLE_MAX {
        Vec::new()
    } else {
        state
            .store
            .thread_participants(id, prefix.trim(), PARTICIPANTS_SHOWN)
            .await?
    };
    let users: Vec<serde_json::Value> = found
        .into_iter()
        .map(|(handle, name)| serde_json::json!({ "handle": handle, "name": name }))
        .collect();
    Ok(axum::Json(serde_json::json!({ "users": users })).into_response())
}

/// A moderator's message form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessageForm {
    csrf: String,
    message: String,
}

/// The member a moderator writes to, and the moderator (a moderator's page only).
async fn message_parties<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    raw_id: &str,
) -> Result<(&'a ponder_store::User, ponder_store::User), AppError> {
    let id = UserId(parse_id(raw_id, "user")?);
    let moderator = ctx.require_user(&format!("/users/{id}/message"))?;
    if !moderator.actor().moderates() {
        return Err(ponder_core::refusal::Refusal::ModeratorsOnly.into());
    }
    let target = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))?;
    Ok((moderator, target))
}

/// The message page for `target`, with `form`.
fn message_page(ctx: &Ctx, target: &ponder_store::User, form: FormState) -> Response {
    render(&MessagePage {
        head: Head::new(
            ctx,
            format!("Message to {}", target.display_name),
            "A moderator's message to a member.",
        ),
        target_id: target.id.0,
        target_name: target.display_name.clone(),
        target_url: user_path(target.id, &target.display_name),
        max: actions::MESSAGE_MAX,
        form,
    })
}

/// `GET /users/{id}/message`: the form a moderator writes to a member with.
pub async fn message_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, target) = message_parties(&state, &ctx, &id).await?;
    Ok(message_page(&ctx, &target, FormState::new()))
}

/// `POST /users/{id}/message`: sends it to the member's inbox; the form again,
/// with what was typed, when it cannot be sent.
pub async fn message(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<MessageForm>,
) -> Result<Response, AppError> {
    let (moderator, target) = message_parties(&state, &ctx, &id).await?;
    let input = form.checked()?;
    match actions::message_member(&state, moderator, target.id, &input.message).await {
        Ok(done) => {
            let mut form = FormState::new();
            form.success = Some(format!(
                "Sent: {} will find it in their inbox.",
                target.display_name
            ));
            Ok(done.changed.mark(message_page(&ctx, &target, form)))
        }
        Err(AppError::BadRequest(why)) => {
            let mut form = FormState::new().with("message", input.message);
            form.error("message", why);
            let mut response = message_page(&ctx, &target, form);
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

crate::extract::has_csrf!(TokenForm, FollowForm, MessageForm);
