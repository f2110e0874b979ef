//! Votes and acceptance. Without JavaScript the buttons are forms that post and
//! come back to the post; with it, the page asks for JSON (`Accept:
//! application/json`) and updates the score in place. The rules are the actions'
//! (`crate::actions::votes`), whatever the page showed.

use crate::AppState;
use crate::actions;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::extract::Id;
use crate::views::question_path;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT;
use axum::response::Response;
use ponder_core::{CommentId, PostId};
use ponder_store::VoteValue;
use serde::Deserialize;

/// A vote form: the token and `up`, `down` or `none`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VoteForm {
    csrf: String,
    value: String,
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// `POST /posts/{id}/vote`.
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Id(post): Id<PostId>,
    form: CsrfForm<VoteForm>,
) -> Result<Response, AppError> {
    let place = actions::place(&state, post).await?;
    let user = ctx.require_writer(&place.url)?.clone();
    let input = form.checked()?;
    let value = match input.value.as_str() {
        "up" => VoteValue::Up,
        "down" => VoteValue::Down,
        "none" => VoteValue::None,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown vote “{}”: send up, down or none",
                other.chars().take(20).collect::<String>()
            )));
        }
    };
    let voted = actions::votes::vote(&state, &user, &place, value).await?;
    if wants_json(&headers) {
        let score = state.store.post_score(post).await?.unwrap_or_default();
        let body = serde_json::json!({ "score": score, "vote": input.value });
        return Ok(voted.json(body));
    }
    Ok(voted.see_other(&place.url))
}

/// `POST /comments/{id}/vote`: upvotes a comment, or withdraws the upvote.
pub async fn vote_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Id(comment): Id<CommentId>,
    form: CsrfForm<VoteForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_writer("/")?.clone();
    form.checked()?;
    let toggled = actions::votes::vote_comment(&state, &user, comment).await?;
    if wants_json(&headers) {
        let body =
            serde_json::json!({ "score": toggled.value.score, "voted": toggled.value.voted });
        return Ok(toggled.json(body));
    }
    let post = state
        .store
        .comment_post(comment)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such comment.".into()))?;
    let place = actions::place(&state, post).await?;
    let page = place.url.split('#').next().unwrap_or_default();
    Ok(toggled.see_other(&format!("{page}#comment-{comment}")))
}

/// The accept form: the token and `accept` or `unaccept`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    csrf: String,
    value: String,
}

/// `POST /posts/{id}/accept`: the asker accepts this answer (`accept`) or withdraws
/// the acceptance (`unaccept`).
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(answer): Id<PostId>,
    form: CsrfForm<AcceptForm>,
) -> Result<Response, AppError> {
    let post = state
        .store
        .editable_post(answer)
        .await?
        .filter(|p| !p.deleted && p.kind == ponder_store::PostKind::Answer)
        .ok_or_else(|| AppError::NotFound(format!("There is no answer {answer}.")))?;
    let back = format!(
        "{}#answer-{answer}",
        question_path(post.question_id, &post.question_title)
    );
    let user = ctx.require_writer(&back)?.clone();
    let input = form.checked()?;
    let chosen = match input.value.as_str() {
        "accept" => true,
        "unaccept" => false,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown choice “{}”: send accept or unaccept",
                other.chars().take(20).collect::<String>()
            )));
        }
    };
    let accepted = actions::votes::accept(&state, &user, &post, chosen).await?;
    Ok(accepted.see_other(&back))
}

crate::extract::has_csrf!(AcceptForm, VoteForm);
