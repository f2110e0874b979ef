//! Editing, the revision history, rolling back, deleting and undeleting.
//!
//! The author may always edit their post and moderators any post; the server checks
//! that on every request. An edit carries the revision it started from, so when two
//! people edit at once the second is told and their text is kept for them.

use super::auth::CsrfOnly;
use super::parse_id;
use crate::AppState;
use crate::actions;
use crate::actions::edits::Edited;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::extract::Id;
use crate::forms::FormState;
use crate::views::{
    AuthorCard, Diff, DiffPiece, EditPage, Head, Moment, RevisionView, RevisionsPage,
    question_path, render,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::PostId;
use ponder_core::diff::{Piece, words};
use ponder_core::posts::{validate_body, validate_summary, validate_tags, validate_title};
use ponder_core::refusal::Refusal;
use ponder_core::rules::manages;
use ponder_store::{EditablePost, PostKind};
use serde::Deserialize;

/// The post, if it exists and the viewer may manage it.
async fn managed_post(
    state: &AppState,
    ctx: &Ctx,
    raw_id: &str,
    here: &str,
) -> Result<EditablePost, AppError> {
    let id = PostId(parse_id(raw_id, "post")?);
    let post = state
        .store
        .editable_post(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no post {id}.")))?;
    actions::edits::check_manage(ctx.require_writer(here)?, &post)?;
    Ok(post)
}

/// Where a post is on its question's page.
pub fn post_url(post: &EditablePost) -> String {
    let path = question_path(post.question_id, &post.question_title);
    match post.kind {
        PostKind::Question => path,
        PostKind::Answer => format!("{path}#answer-{}", post.id),
    }
}

fn edit_page(ctx: &Ctx, post: &EditablePost, form: FormState, status: StatusCode) -> Response {
    let mut response = render(&EditPage {
        head: Head::new(
            ctx,
            format!("Edit: {}", post.question_title),
            "Improve this post.",
        ),
        post_id: post.id.0,
        is_question: post.kind == PostKind::Question,
        back_url: post_url(post),
        form,
    });
    *response.status_mut() = status;
    response
}

/// The post, if it exists (and, when deleted, the viewer may see it), for a
/// logged-in viewer who will edit it directly or suggest an edit.
async fn editable(
    state: &AppState,
    ctx: &Ctx,
    raw_id: &str,
    here: &str,
) -> Result<EditablePost, AppError> {
    let id = PostId(parse_id(raw_id, "post")?);
    let post = state
        .store
        .editable_post(id)
        .await?
        .filter(|p| !p.deleted || manages(ctx.actor().as_ref(), p.author_id))
        .ok_or_else(|| AppError::NotFound(format!("There is no post {id}.")))?;
    actions::edits::check_edit(ctx.require_writer(here)?, &post)?;
    Ok(post)
}

/// `GET /posts/{id}/edit`: the edit form; for a user without the privilege to edit
/// others' posts it files a suggestion instead.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let here = format!("/posts/{id}/edit");
    let post = editable(&state, &ctx, &id, &here).await?;
    if post.deleted {
        return Err(AppError::NotFound(
            "A deleted post cannot be edited; undelete it first.".into(),
        ));
    }
    let mut form = FormState::new()
        .with("title", post.title.clone())
        .with("body", post.body_markdown.clone())
        .with("tags", post.tags.join(" "))
        .with("base_revision", post.latest_revision.to_string());
    let viewer = ctx.require_writer(&here)?;
    if !state
        .privileges()
        .edits_directly(&viewer.actor(), post.author_id)
    {
        if let Some(pending) = state.store.pending_suggestion(post.id).await? {
            return Err(Refusal::SuggestionPending {
                by: pending.author.display_name,
            }
            .into());
        }
        form.success = Some(format!(
            "Your edit will be a suggestion: the author or a user with {} reputation reviews it before it shows.",
            state.privileges().edit_others
        ));
    }
    Ok(edit_page(&ctx, &post, form, StatusCode::OK))
}

/// The edit form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    csrf: String,
    title: String,
    body: String,
    tags: String,
    summary: String,
    base_revision: String,
}

/// `POST /posts/{id}/edit`.
pub async fn save_edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<EditForm>,
) -> Result<Response, AppError> {
    let here = format!("/posts/{id}/edit");
    let post = editable(&state, &ctx, &id, &here).await?;
    let viewer = ctx.require_writer(&here)?.clone();
    let input = form.checked()?;
    let is_question = post.kind == PostKind::Question;
    let mut form = FormState::new()
        .with("title", input.title.clone())
        .with("body", input.body.clone())
        .with("tags", input.tags.clone())
        .with("summary", input.summary.clone())
        .with("base_revision", input.base_revision.clone());
    let title = if is_question {
        validate_title(&input.title)
            .map_err(|m| form.error("title", m))
            .ok()
    } else {
        Some(String::new())
    };
    let tags = if is_question {
        validate_tags(&input.tags)
            .map_err(|m| form.error("tags", m))
            .ok()
    } else {
        Some(Vec::new())
    };
    let body = validate_body(&input.body)
        .map_err(|m| form.error("body", m))
        .ok();
    let summary = validate_summary(&input.summary)
        .map_err(|m| form.error("summary", m))
        .ok();
    let base = input.base_revision.trim().parse::<i64>().ok();
    let (Some(title), Some(tags), Some(body), Some(summary), Some(base), false) =
        (title, tags, body, summary, base, form.has_errors())
    else {
        if base.is_none() && !form.has_errors() {
            form.general = Some(
                "The form lost track of the version you edited. Reload the page and edit again."
                    .into(),
            );
        }
        return Ok(edit_page(
            &ctx,
            &post,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let input = actions::edits::EditInput {
        base_revision: base,
        title,
        body,
        tags,
        summary,
    };
    match actions::edits::edit(&state, &viewer, &post, input).await {
        Ok(done) => Ok(done.see_other(&match done.value {
            Edited::Saved => post_url(&post),
            Edited::Suggested(id) => format!("/suggested-edits/{id}"),
        })),
        Err(AppError::Refused(Refusal::ChangedMeanwhile { current })) => {
            form.general = Some(
                "Someone else saved an edit of this post while you were editing. Your text is still below; \
                 look at their version in the history, then save again to replace it."
                    .into(),
            );
            form.set("base_revision", current.to_string());
            Ok(edit_page(&ctx, &post, form, StatusCode::CONFLICT))
        }
        Err(AppError::Refused(Refusal::AnotherSuggestionWaiting)) => {
            form.general = Some("Another suggested edit of this post is waiting for review; your text is still below. Try again once it is reviewed.".into());
            Ok(edit_page(&ctx, &post, form, StatusCode::CONFLICT))
        }
        Err(AppError::Refused(refusal @ Refusal::ModeratorOnlyTag { .. })) => {
            form.error("tags", refusal.to_string());
            Ok(edit_page(
                &ctx,
                &post,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other),
    }
}

/// A word-level difference, as the templates print it.
pub fn pieces(old: &str, new: &str) -> Diff {
    Diff(
        words(old, new)
            .into_iter()
            .map(|p| match p {
                Piece::Same(text) => DiffPiece { kind: "same", text },
                Piece::Added(text) => DiffPiece {
                    kind: "added",
                    text,
                },
                Piece::Removed(text) => DiffPiece {
                    kind: "removed",
                    text,
                },
            })
            .collect(),
    )
}

/// `GET /posts/{id}/revisions`: every revision, newest first, each with a word-level
/// difference from the one before.
pub async fn revisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<PostId>,
) -> Result<Response, AppError> {
    let post = state
        .store
        .editable_post(id)
        .await?
        .filter(|p| !p.deleted || manages(ctx.actor().as_ref(), p.author_id))
        .ok_or_else(|| AppError::NotFound(format!("There is no post {id}.")))?;
    let history = state.store.revisions(id).await?;
    let now = ponder_core::time::now();
    let latest = history.last().map(|r| r.id);
    let may_roll_back = manages(ctx.actor().as_ref(), post.author_id) && !post.deleted;
    let mut views = Vec::with_capacity(history.len());
    for (i, revision) in history.iter().enumerate() {
        let previous = if i == 0 { None } else { history.get(i - 1) };
        let (old_title, old_body, old_tags) = match previous {
            Some(p) => (p.title.as_str(), p.body_markdown.as_str(), p.tags.join(" ")),
            None => ("", "", String::new()),
        };
        views.push(RevisionView {
            id: revision.id,
            number: revision.number,
            editor: AuthorCard::new(&revision.editor),
            when: Moment::new(revision.created_at, now),
            summary: if i == 0 {
                "Original post".to_owned()
            } else {
                revision.summary.clone()
            },
            title: pieces(old_title, &revision.title),
            body: pieces(old_body, &revision.body_markdown),
            tags: pieces(&old_tags, &revision.tags.join(" ")),
            can_roll_back: may_roll_back && Some(revision.id) != latest,
        });
    }
    views.reverse();
    let page = RevisionsPage {
        head: Head::new(
            &ctx,
            format!("History of: {}", post.question_title),
            "Every version of this post.",
        ),
        title: post.question_title.clone(),
        post_id: post.id.0,
        is_question: post.kind == PostKind::Question,
        back_url: post_url(&post),
        revisions: views,
    };
    Ok(render(&page))
}

/// `POST /posts/{id}/revisions/{revision}/rollback`: saves that revision's content as
/// a new revision; the history stays as it was.
pub async fn roll_back(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, revision)): Path<(String, String)>,
    form: CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let here = format!("/posts/{id}/revisions");
    let post = managed_post(&state, &ctx, &id, &here).await?;
    let user = ctx.require_writer(&here)?.clone();
    form.checked()?;
    let revision_id = parse_id(&revision, "revision")?;
    match actions::edits::roll_back(&state, &user, &post, revision_id).await {
        Ok(done) => Ok(done.see_other(&format!("/posts/{}/revisions", post.id))),
        Err(AppError::Refused(Refusal::ChangedMeanwhile { .. })) => Err(AppError::Conflict(
            "The post changed while you were looking at its history. Reload the history and try again.".into(),
        )),
        Err(other) => Err(other),
    }
}

async fn set_deleted(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    form: CsrfForm<CsrfOnly>,
    deleted: bool,
) -> Result<Response, AppError> {
    let post = managed_post(state, ctx, id, "/").await?;
    form.checked()?;
    let user = ctx.require_writer("/")?;
    let done = actions::edits::set_deleted(state, user, &post, deleted).await?;
    Ok(done.see_other(&post_url(&post)))
}

/// `POST /posts/{id}/delete`: hides the post from everyone but its author and
/// moderators; nothing is removed.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    set_deleted(&state, &ctx, &id, form, true).await
}

/// `POST /posts/{id}/undelete`.
pub async fn undelete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    set_deleted(&state, &ctx, &id, form, false).await
}

crate::extract::has_csrf!(EditForm);
