//! The moderation log: every moderator action, newest first.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{AuthorCard, Head, Link, ModLogPage, ModLogRow, Moment, Pager, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use ponder_core::paging::parse_page;
use serde::Deserialize;

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
    let pages = crate::handlers::pages_of(page, &log)?;
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
                "setting" => Link {
                    label: "site settings".to_owned(),
                    url: "/admin/settings".to_owned(),
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
