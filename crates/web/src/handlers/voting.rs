//! Votes and acceptance. Without JavaScript the buttons are forms that post and
//! come back to the post; with it, the page asks for JSON (`Accept:
//! application/json`) and updates the score in place. Every privilege is checked
//! here, whatever the page showed.

use super::auth::see_other;
use super::parse_id;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::forms::form_error;
use crate::views::question_path;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::header::ACCEPT;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ponder_core::refusal::Refusal;
use ponder_core::rules::Privilege;
use ponder_core::{CommentId, PostId};
use ponder_store::{NewVote, VoteValue};
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

/// Where a post sits: its question's page and its anchor there.
async fn place_of(state: &AppState, post: PostId) -> Result<String, AppError> {
    let question = state
        .store
        .question_of(post)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no post {post}.")))?;
    let post_info = state
        .store
        .editable_post(question)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no post {post}.")))?;
    let path = question_path(question, &post_info.title);
    Ok(if question == post {
        format!("{path}#question")
    } else {
        format!("{path}#answer-{post}")
    })
}

/// `POST /posts/{id}/vote`.
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<VoteForm>, FormRejection>,
) -> Result<Response, AppError> {
    let post = PostId(parse_id(&id, "post")?);
    let back = place_of(&state, post).await?;
    let user = ctx.require_writer(&back)?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
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
    let privilege = match value {
        VoteValue::Up => Some(Privilege::VoteUp),
        VoteValue::Down => Some(Privilege::VoteDown),
        VoteValue::None => None,
    };
    if let Some(privilege) = privilege {
        state.privileges.check(&user.actor(), privilege)?;
    }
    state
        .store
        .cast_vote(NewVote {
            post,
            user: user.id,
            value,
            created_at: ponder_core::time::now(),
            rules: state.rules,
        })
        .await?;
    if wants_json(&headers) {
        let score = state.store.post_score(post).await?.unwrap_or_default();
        let body = serde_json::json!({ "score": score, "vote": input.value });
        return Ok((StatusCode::OK, axum::Json(body)).into_response());
    }
    Ok(see_other(&back, None))
}

/// `POST /comments/{id}/vote`: upvotes a comment, or withdraws the upvote.
pub async fn vote_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<VoteForm>, FormRejection>,
) -> Result<Response, AppError> {
    let comment = CommentId(parse_id(&id, "comment")?);
    let user = ctx.require_writer("/")?.clone();
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    state.privileges.check(&user.actor(), Privilege::VoteUp)?;
    let (voted, score) = state
        .store
        .toggle_comment_vote(comment, user.id, ponder_core::time::now())
        .await?;
    if wants_json(&headers) {
        let body = serde_json::json!({ "score": score, "voted": voted });
        return Ok((StatusCode::OK, axum::Json(body)).into_response());
    }
    let post = state
        .store
        .comment_post(comment)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such comment.".into()))?;
    let back = place_of(&state, post).await?;
    let page = back.split('#').next().unwrap_or_default();
    Ok(see_other(&format!("{page}#comment-{comment}"), None))
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
    Path(id): Path<String>,
    form: Result<Form<AcceptForm>, FormRejection>,
) -> Result<Response, AppError> {
    let answer = PostId(parse_id(&id, "answer")?);
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
    let Form(input) = form.map_err(form_error)?;
    ctx.verify_csrf(&input.csrf)?;
    let asker = state
        .store
        .editable_post(post.question_id)
        .await?
        .map(|q| q.author_id)
        .ok_or_else(|| AppError::NotFound("The question is gone.".into()))?;
    if asker != user.id {
        return Err(Refusal::AskersOnly.into());
    }
    let chosen = match input.value.as_str() {
        "accept" => Some(answer),
        "unaccept" => None,
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown choice “{}”: send accept or unaccept",
                other.chars().take(20).collect::<String>()
            )));
        }
    };
    state
        .store
        .accept_answer(post.question_id, chosen, state.rules)
        .await?;
    Ok(see_other(&back, None))
}
