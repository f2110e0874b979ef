//! A moderator's actions on one post: lock, unlock, protect, unprotect, restore.

use super::ReasonForm;
use crate::AppState;
use crate::actions::{self, moderation::PostModeration};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::forms::form_error;
use crate::handlers::parse_id;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::PostId;

/// `POST /posts/{id}/mod/{action}`: lock, unlock, protect, unprotect or restore.
pub async fn post_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Result<Response, AppError> {
    let post = PostId(parse_id(&id, "post")?);
    let place = actions::place(&state, post).await?;
    let moderator = ctx.require_moderator(&place.url)?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    let action = PostModeration::parse(&action)
        .ok_or_else(|| AppError::NotFound("There is no such action.".into()))?;
    let done =
        actions::moderation::moderate_post(&state, &moderator, &place, action, &input.reason)
            .await?;
    Ok(done.see_other(&place.url))
}
