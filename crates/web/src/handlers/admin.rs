//! The administrators' page of users: every account, found by handle, name,
//! email or id, with its role, reputation, activity, flags and suspensions, and
//! the forms that change its role (never leaving the site without an
//! administrator) or delete it, anonymised or with what it wrote.

use crate::AppState;
use crate::actions::accounts::Deletion;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::extract::Id;
use crate::forms::query_encode;
use crate::views::{AdminUserRow, AdminUsersPage, Head, Moment, Pager, render, user_path};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use ponder_core::UserId;
use ponder_core::paging::parse_page;
use ponder_core::text::{count, thousands};
use ponder_store::{Role, User};
use serde::Deserialize;

/// The administrator asking; anyone else is refused (a visitor sent to log in and
/// brought back to `here`).
pub(super) fn require_admin<'a>(ctx: &'a Ctx, here: &str) -> Result<&'a User, AppError> {
    let user = ctx.require_user(here)?;
    user.actor().require_administrator()?;
    Ok(user)
}

/// `?q=&page=` of the list of users.
#[derive(Debug, Default, Deserialize)]
pub struct UserListParams {
    q: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

/// The longest search, in characters.
const SEARCH_MAX: usize = 100;

/// `GET /admin/users?q=&page=`: every user, or those whose handle, name or email
/// holds `q`, or whose id it is.
pub async fn list_users(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<UserListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, "/admin/users")?;
    let Query(params) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let page =
        parse_page(params.page.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let search = params
        .q
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if search.chars().count() > SEARCH_MAX {
        return Err(AppError::BadRequest(format!(
            "Search with at most {SEARCH_MAX} characters."
        )));
    }
    let users = if search.is_empty() {
        state.store.list_users(page).await?
    } else {
        state.store.search_users(&search, page).await?
    };
    let pages = super::pages_of(page, &users)?;
    let now = ponder_core::time::now();
    let ids: Vec<UserId> = users.items.iter().map(|u| u.id).collect();
    let activity = state.store.user_activity(&ids).await?;
    let rows = users
        .items
        .iter()
        .map(|u| {
            let seen = activity.iter().find(|a| a.user == u.id);
            let suspensions = seen.map_or(0, |a| a.suspensions);
            AdminUserRow {
                id: u.id.0,
                name: u.display_name.clone(),
                handle: u.handle.clone(),
                url: user_path(u.id, &u.display_name),
                role: u.role.as_str(),
                reputation: thousands(u.reputation),
                joined: Moment::new(u.created_at, now),
                last_seen: seen.and_then(|a| a.last_seen).map(|t| Moment::new(t, now)),
                posts: thousands(seen.map_or(0, |a| a.posts)),
                flags: thousands(seen.map_or(0, |a| a.flags)),
                suspension: if u.is_suspended(now) {
                    "suspended now".to_owned()
                } else if suspensions > 0 {
                    format!("{} before", count(suspensions, "time", "times"))
                } else {
                    String::new()
                },
                can_delete: u.role != Role::Admin && u.id != admin.id,
                unclaimed: u.unclaimed,
            }
        })
        .collect();
    let view = AdminUsersPage {
        head: Head::new(&ctx, "Users", "Manage the site's users."),
        total_label: count(users.total, "user", "users"),
        rows,
        pager: Pager::new(page, pages, |n| {
            if search.is_empty() {
                format!("/admin/users?page={n}")
            } else {
                format!("/admin/users?q={}&page={n}", query_encode(&search))
            }
        }),
        search: search.clone(),
        done: params.done.map(|d| d.chars().take(200).collect()),
    };
    Ok(render(&view))
}

/// The role form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    csrf: String,
    role: String,
}

/// `POST /admin/users/{id}/role`: `role` is `admin`, `moderator` or `user`; the
/// site's last administrator keeps the role.
pub async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<UserId>,
    form: CsrfForm<RoleForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, "/admin/users")?;
    let input = form.checked()?;
    let role = match input.role.as_str() {
        "admin" => Role::Admin,
        "moderator" => Role::Moderator,
        "user" => Role::User,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown role “{}”: choose admin, moderator or user",
                other.chars().take(30).collect::<String>()
            )));
        }
    };
    let target = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))?;
    let done = crate::actions::accounts::set_role(&state, admin, &target, role).await?;
    Ok(done.see_other("/admin/users"))
}

crate::extract::has_csrf!(RoleForm);

/// The deletion form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteUserForm {
    csrf: String,
    mode: String,
    confirm: String,
}

/// `POST /admin/users/{id}/delete`: `mode` is `anonymise` (the person's data
/// goes, their posts stay under a deleted-user name) or `content` (their posts
/// and comments go too); `confirm` must be their handle.
pub async fn delete_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<UserId>,
    form: CsrfForm<DeleteUserForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, "/admin/users")?;
    let input = form.checked()?;
    let how = match input.mode.as_str() {
        "anonymise" => Deletion::Anonymise,
        "content" => Deletion::WithContent,
        _ => {
            return Err(AppError::BadRequest(
                "Choose how to delete the account: anonymise, or with its content.".into(),
            ));
        }
    };
    let target = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))?;
    if !input.confirm.trim().eq_ignore_ascii_case(&target.handle) {
        return Err(AppError::BadRequest(format!(
            "Type the handle, {}, to confirm the deletion; nothing was deleted.",
            target.handle
        )));
    }
    let done = crate::actions::accounts::delete_user(&state, admin, &target, how).await?;
    let (posts, comments) = done.value;
    let message = match how {
        Deletion::Anonymise => format!("Deleted @{}; their posts stay, unsigned.", target.handle),
        Deletion::WithContent => format!(
            "Deleted @{} with {} and {}.",
            target.handle,
            count(posts, "post", "posts"),
            count(comments, "comment", "comments")
        ),
    };
    Ok(done.see_other(&format!("/admin/users?done={}", query_encode(&message))))
}

crate::extract::has_csrf!(DeleteUserForm);
