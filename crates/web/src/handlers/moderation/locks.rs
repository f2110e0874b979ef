//! A moderator's actions on one post: lock, unlock, protect, unprotect, restore.

use super::ReasonForm;
use crate::AppState;
use crate::actions::{self, moderation::PostModeration};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::handlers::parse_id;
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::PostId;

/// `POST /posts/{id}/mod/{action}`: lock, unlock, protect, unprotect or restore.
pub async fn post_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    let post = PostId(parse_id(&id, "post")?);
    let place = actions::place(&state, post).await?;
    let moderator = ctx.require_moderator(&place.url)?.clone();
    let input = form.checked()?;
    let action = PostModeration::parse(&action)
        .ok_or_else(|| AppError::NotFound("There is no such action.".into()))?;
    let done =
        actions::moderation::moderate_post(&state, &moderator, &place, action, &input.reason)
            .await?;
    Ok(done.see_other(&place.url))
}
