//! The administrators' page: every user, with their role, and forms to make a user a
//! moderator or a moderator a user again. Administrators are made from the command
//! line (`ponder user create --admin`), never from the web.

use crate::AppState;
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
use ponder_core::paging::{page_count, parse_page};
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
    require_admin(&ctx, "/admin/users")?;
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
    let pages = page_count(users.total, users.per_page);
    if page > pages {
        return Err(AppError::NotFound(format!(
            "There is no page {page}; there are {pages}."
        )));
    }
    let now = ponder_core::time::now();
    let rows = users
        .items
        .iter()
        .map(|u| AdminUserRow {
            id: u.id.0,
            name: u.display_name.clone(),
            handle: u.handle.clone(),
            url: user_path(u.id, &u.display_name),
            role: u.role.as_str(),
            reputation: thousands(u.reputation),
            joined: Moment::new(u.created_at, now),
            can_promote: u.role.promotable(),
            can_demote: u.role.demotable(),
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

/// `POST /admin/users/{id}/role`: `role` is `moderator` or `user`. Administrators'
/// roles are not changed here.
pub async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<UserId>,
    form: CsrfForm<RoleForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, "/admin/users")?;
    let input = form.checked()?;
    let role = match input.role.as_str() {
        "moderator" => Role::Moderator,
        "user" => Role::User,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown role “{}”: choose moderator or user",
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
