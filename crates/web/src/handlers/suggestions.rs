//! Suggested edits: the page that shows one against the post as it stands, and the
//! author's or an experienced user's approval or rejection.

use super::editing::{pieces, post_url};
use super::parse_id;
use crate::AppState;
use crate::actions;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::views::{AuthorCard, Head, Moment, SuggestionPage, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::posts::validate_summary;
use ponder_core::refusal::Refusal;
use ponder_store::{EditablePost, PostKind, SuggestedEdit, User};
use serde::Deserialize;

async fn load(state: &AppState, raw_id: &str) -> Result<(SuggestedEdit, EditablePost), AppError> {
    let id = parse_id(raw_id, "suggested edit")?;
    let suggestion = state
        .store
        .suggested_edit(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no suggested edit {id}.")))?;
    let post = state
        .store
        .editable_post(suggestion.post_id)
        .await?
        .filter(|p| !p.deleted)
        .ok_or_else(|| AppError::NotFound("The post this edit was for is gone.".into()))?;
    Ok((suggestion, post))
}

fn page(
    ctx: &Ctx,
    state: &AppState,
    suggestion: &SuggestedEdit,
    post: &EditablePost,
    form: FormState,
    status: StatusCode,
) -> Response {
    let viewer = ctx.viewer.as_ref();
    let reviewer = viewer.is_some_and(|v| {
        v.id != suggestion.author.id
            && state
                .privileges()
                .check_review(&v.actor(), post.author_id)
                .is_ok()
    });
    let mut response = render(&SuggestionPage {
        head: Head::new(
            ctx,
            format!("Suggested edit: {}", post.question_title),
            "A suggested improvement, waiting for review.",
        ),
        id: suggestion.id,
        question_title: post.question_title.clone(),
        back_url: post_url(post),
        is_question: post.kind == PostKind::Question,
        suggester: AuthorCard::new(&suggestion.author),
        when: Moment::new(suggestion.created_at, ponder_core::time::now()),
        summary: suggestion.summary.clone(),
        status: suggestion.status.clone(),
        reason: suggestion.reason.clone(),
        title: pieces(&post.title, &suggestion.title),
        body: pieces(&post.body_markdown, &suggestion.body_markdown),
        tags: pieces(&post.tags.join(" "), &suggestion.tags.join(" ")),
        can_review: reviewer && suggestion.status == "pending",
        form,
    });
    *response.status_mut() = status;
    response
}

/// `GET /suggested-edits/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (suggestion, post) = load(&state, &id).await?;
    Ok(page(
        &ctx,
        &state,
        &suggestion,
        &post,
        FormState::new(),
        StatusCode::OK,
    ))
}

/// A review form: the token, and for a rejection the reason.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    csrf: String,
    reason: String,
}

/// The viewer, if they may review this suggestion (a visitor is sent to log in).
fn require_reviewer(
    ctx: &Ctx,
    state: &AppState,
    suggestion: &SuggestedEdit,
    post: &EditablePost,
    here: &str,
) -> Result<User, AppError> {
    let viewer = ctx.require_writer(here)?;
    actions::edits::check_suggestion_review(state, viewer, suggestion, post)?;
    Ok(viewer.clone())
}

/// `POST /suggested-edits/{id}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<ReviewForm>,
) -> Result<Response, AppError> {
    let (suggestion, post) = load(&state, &id).await?;
    let here = format!("/suggested-edits/{}", suggestion.id);
    let reviewer = require_reviewer(&ctx, &state, &suggestion, &post, &here)?;
    form.checked()?;
    match actions::edits::approve_suggestion(&state, &reviewer, &suggestion, &post).await {
        Ok(done) => Ok(done.see_other(&post_url(&post))),
        Err(AppError::Refused(Refusal::ChangedMeanwhile { .. })) => {
            let mut form = FormState::new();
            form.general = Some("The post was edited after this suggestion was written, so it cannot be applied as it is. Reject it, or edit the post yourself.".into());
            Ok(page(
                &ctx,
                &state,
                &suggestion,
                &post,
                form,
                StatusCode::CONFLICT,
            ))
        }
        Err(other) => Err(other),
    }
}

/// `POST /suggested-edits/{id}/reject` (with a reason).
pub async fn reject(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<ReviewForm>,
) -> Result<Response, AppError> {
    let (suggestion, post) = load(&state, &id).await?;
    let here = format!("/suggested-edits/{}", suggestion.id);
    let reviewer = require_reviewer(&ctx, &state, &suggestion, &post, &here)?;
    let input = form.checked()?;
    let mut form = FormState::new().with("reason", input.reason.clone());
    let reason = match validate_summary(&input.reason) {
        Ok(reason) if !reason.is_empty() => reason,
        Ok(_) => {
            form.error(
                "reason",
                "say why, so the suggester can do better next time",
            );
            return Ok(page(
                &ctx,
                &state,
                &suggestion,
                &post,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
        Err(message) => {
            form.error("reason", message);
            return Ok(page(
                &ctx,
                &state,
                &suggestion,
                &post,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let done =
        actions::edits::reject_suggestion(&state, &reviewer, &suggestion, &post, &reason).await?;
    Ok(done.see_other(&here))
}

crate::extract::has_csrf!(ReviewForm);
