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
                .and_then(|i| state.off_topic_reasons().into_iter().nth(i))
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
