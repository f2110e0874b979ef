//! Votes to close a question (with a reason, or as a duplicate) and to reopen it.

use crate::AppState;
use crate::actions::{self, moderation::StateVote};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::handlers::parse_id;
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::PostId;
use serde::Deserialize;

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
    let original = input
        .duplicate_of
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok();
    let off_topic = input.off_topic.parse::<usize>().ok();
    actions::moderation::close_reason(state, &input.reason, original, off_topic)
}

async fn vote_state(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    form: CsrfForm<CloseForm>,
    close: bool,
) -> Result<Response, AppError> {
    let question = PostId(parse_id(id, "question")?);
    let place = actions::place(state, question).await?;
    let user = ctx.require_writer(&place.url)?.clone();
    let input = form.checked()?;
    let (reason, duplicate_of) = if close {
        close_reason(state, &input)?
    } else {
        (String::new(), None)
    };
    let vote = StateVote {
        close,
        reason,
        duplicate_of,
    };
    let voted = actions::moderation::vote_on_state(state, &user, &place, vote).await?;
    Ok(voted.see_other(&place.url))
}

/// `POST /posts/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<CloseForm>,
) -> Result<Response, AppError> {
    vote_state(&state, &ctx, &id, form, true).await
}

/// `POST /posts/{id}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<CloseForm>,
) -> Result<Response, AppError> {
    vote_state(&state, &ctx, &id, form, false).await
}

crate::extract::has_csrf!(CloseForm);
