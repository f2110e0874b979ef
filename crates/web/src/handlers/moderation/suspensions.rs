//! Suspending a user for some days, and lifting a suspension.

use super::ReasonForm;
use crate::AppState;
use crate::actions::{self, moderation::Suspension};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::handlers::parse_id;
use crate::views::user_path;
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::UserId;

/// `POST /users/{id}/suspend` (days, reason) and `/users/{id}/unsuspend`.
pub async fn suspension(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: CsrfForm<ReasonForm>,
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
    let input = form.checked()?;
    let change = match action.as_str() {
        "suspend" => Suspension::For {
            days: input.days.trim().parse::<i64>().unwrap_or(0),
            reason: input.reason,
        },
        "unsuspend" => Suspension::Lifted {
            reason: input.reason,
        },
        _ => return Err(AppError::NotFound("There is no such action.".into())),
    };
    let done = actions::moderation::suspend(&state, &moderator, &user, change).await?;
    Ok(done.see_other(&back))
}
