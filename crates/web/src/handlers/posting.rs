//! Writing: asking a question, answering one, commenting on a post, and the preview
//! that renders Markdown on the server (so it works without JavaScript).
//!
//! Each form checks its fields with `ponder_core::posts`, and when one is refused
//! comes back with the message beside the field and everything typed still there.

use super::category_tree;
use super::questions::{PageForms, ViewerExtras, question_response};
use crate::AppState;
use crate::actions;
use crate::auth::Ctx;
use crate::auth::limits::PostingKind;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::extract::Id;
use crate::forms::FormState;
use crate::page_cache::nothing_stale;
use crate::tree::CategoryTree;
use crate::views::{AskPage, CategoryOption, Head, question_path};
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use ponder_core::posts::{
    BODY_MAX, validate_body, validate_comment, validate_tags, validate_title,
};
use ponder_core::refusal::Refusal;
use ponder_core::{CategoryId, PostId};
use serde::Deserialize;

/// Every category, depth first, labelled with its path, for the ask form's menu.
pub(crate) fn category_options(tree: &CategoryTree, selected: &str) -> Vec<CategoryOption> {
    let mut out = Vec::new();
    let mut stack: Vec<(Option<CategoryId>, usize)> = vec![(None, 0)];
    while let Some((parent, depth)) = stack.pop() {
        if depth > 16 {
            continue;
        }
        for c in tree.children(parent).into_iter().rev() {
            stack.push((Some(c.id), depth + 1));
        }
        if let Some(id) = parent {
            let label = tree
                .path(id)
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(" › ");
            out.push(CategoryOption {
                id: id.0,
                label,
                selected: id.0.to_string() == selected,
            });
        }
    }
    out
}

async fn ask_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    preview: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tree = category_tree(state).await?;
    let popular = state.store.popular_tags(40).await?;
    let page = AskPage {
        head: Head::new(ctx, "Ask a question", "Ask the community a question."),
        categories: category_options(&tree, form.value("category")),
        popular_tags: popular.into_iter().map(|t| t.name).collect(),
        similar: if preview.is_some() {
            super::search::similar_links(state, form.value("title"), 5)
        } else {
            Vec::new()
        },
        preview,
        form,
    };
    let mut response = render_page(&page);
    *response.status_mut() = status;
    Ok(response)
}

fn render_page<T: askama::Template>(page: &T) -> Response {
    crate::views::render(page)
}

/// `GET /ask`.
pub async fn ask_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require_writer("/ask")?;
    ask_page(&state, &ctx, FormState::new(), None, StatusCode::OK).await
}

/// The ask form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AskForm {
    csrf: String,
    title: String,
    body: String,
    category: String,
    tags: String,
    action: String,
}

/// `POST /ask`: previews or posts a question.
pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<AskForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_writer("/ask")?.clone();
    let input = form.checked()?;
    let mut form = FormState::new()
        .with("title", input.title.clone())
        .with("body", input.body.clone())
        .with("category", input.category.clone())
        .with("tags", input.tags.clone());
    let title = validate_title(&input.title)
        .map_err(|m| form.error("title", m))
        .ok();
    let body = validate_body(&input.body)
        .map_err(|m| form.error("body", m))
        .ok();
    let tags = validate_tags(&input.tags)
        .map_err(|m| form.error("tags", m))
        .ok();
    let tree = category_tree(&state).await?;
    let category = input
        .category
        .trim()
        .parse::<i64>()
        .ok()
        .map(CategoryId)
        .filter(|id| tree.get(*id).is_some());
    if category.is_none() {
        form.error("category", "choose the category the question belongs in");
    }
    let preview = if input.action == "preview" {
        let tags: Vec<&str> = input.tags.split_whitespace().collect();
        let options = crate::rendering::options_for_tags(&state, &tags);
        preview_of(&state, &user, &input.body, options).await?
    } else {
        None
    };
    let (Some(title), Some(body), Some(tags), Some(category), false, None) = (
        title,
        body,
        tags,
        category,
        form.has_errors(),
        preview.as_ref(),
    ) else {
        let status = if form.has_errors() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        return ask_page(&state, &ctx, form, preview, status)
            .await
            .map(nothing_stale);
    };
    let input = actions::posts::AskInput {
        title,
        body,
        tags,
        category,
    };
    let title = input.title.clone();
    match actions::posts::ask(&state, &user, input).await {
        Ok(asked) => Ok(asked.see_other(&question_path(asked.value, &title))),
        Err(AppError::Refused(refusal @ Refusal::ModeratorOnlyTag { .. })) => {
            form.error("tags", refusal.to_string());
            ask_page(&state, &ctx, form, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
                .map(nothing_stale)
        }
        Err(other) => Err(other),
    }
}

/// The answer form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    csrf: String,
    body: String,
    action: String,
}

/// `POST /questions/{id}/answers`: previews or posts an answer.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<PostId>,
    form: CsrfForm<AnswerForm>,
) -> Result<Response, AppError> {
    // The question alone: its whole thread is read only if the form comes back.
    let question = actions::posts::live_question(&state, id).await?;
    let path = question_path(id, &question.title);
    let user = ctx.require_writer(&format!("{path}#your-answer"))?.clone();
    actions::posts::check_answer(&state, &user, &question)?;
    let input = form.checked()?;
    let mut forms = PageForms {
        answer: FormState::new().with("body", input.body.clone()),
        ..PageForms::default()
    };
    let body = validate_body(&input.body)
        .map_err(|m| forms.answer.error("body", m))
        .ok();
    if input.action == "preview" {
        let options = crate::rendering::options_for_thread(&state, id).await?;
        forms.answer_preview = preview_of(&state, &user, &input.body, options).await?;
    }
    let (Some(body), None) = (body, forms.answer_preview.as_ref()) else {
        return form_again(&state, &ctx, id, forms).await.map(nothing_stale);
    };
    let answered = actions::posts::answer(&state, &user, &question, body).await?;
    Ok(answered.see_other(&format!("{path}#answer-{}", answered.value)))
}

/// The comment form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommentForm {
    csrf: String,
    body: String,
}

/// `POST /posts/{id}/comments`: comments on a question or an answer.
pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(post): Id<PostId>,
    form: CsrfForm<CommentForm>,
) -> Result<Response, AppError> {
    // The question and the post commented on: the whole thread is read only if the
    // form comes back.
    let target = actions::posts::comment_target(&state, post).await?;
    let question = target.question.id;
    let path = question_path(question, &target.question.title);
    let anchor = if post == question {
        "question".to_owned()
    } else {
        format!("answer-{post}")
    };
    let user = ctx.require_writer(&format!("{path}#{anchor}"))?.clone();
    let input = form.checked()?;
    actions::posts::check_comment(&state, &user, &target)?;
    let body = match validate_comment(&input.body) {
        Ok(body) => body,
        Err(message) => {
            let mut form = FormState::new().with("body", input.body.clone());
            form.error("body", message);
            let forms = PageForms {
                comment: Some((post, form)),
                ..PageForms::default()
            };
            return form_again(&state, &ctx, question, forms).await;
        }
    };
    let commented = actions::posts::comment(&state, &user, &target, body).await?;
    Ok(commented.see_other(&format!("{path}#comment-{}", commented.value)))
}

/// The question page again, with `forms` as they were sent and their messages.
async fn form_again(
    state: &AppState,
    ctx: &Ctx,
    question: PostId,
    forms: PageForms,
) -> Result<Response, AppError> {
    let thread = state
        .store
        .question_thread(question)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no question {question}.")))?;
    let extras = ViewerExtras::load(state, ctx, question).await?;
    question_response(ctx, thread, forms, &extras)
}

/// The preview of `body` for a form sent with its Preview button: rendered when it
/// is within the length limit (the field's message says what to do otherwise), and
/// counted against the writer's preview allowance.
async fn preview_of(
    state: &AppState,
    author: &ponder_store::User,
    body: &str,
    options: ponder_core::markdown::RenderOptions,
) -> Result<Option<String>, AppError> {
    if body.chars().count() > BODY_MAX {
        return Ok(None);
    }
    state
        .limits()
        .check_posting(PostingKind::Preview, author.id)?;
    Ok(Some(
        crate::rendering::preview(state, author, body.to_owned(), options)
            .await?
            .into_string(),
    ))
}

/// The preview request: Markdown to render, and what it is rendered for: the tags
/// typed beside it (a question's), else the post it belongs to (an answer's
/// question, a post being edited), else neither.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreviewForm {
    csrf: String,
    body: String,
    tags: String,
    post: String,
}

/// `POST /preview`: the live preview's HTML fragment, for logged-in writers.
pub async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<PreviewForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_writer("/ask")?.clone();
    let input = form.checked()?;
    let tags: Vec<&str> = input
        .tags
        .split_whitespace()
        .take(ponder_core::posts::TAGS_MAX)
        .collect();
    let options = match input.post.trim().parse::<i64>() {
        _ if !tags.is_empty() => crate::rendering::options_for_tags(&state, &tags),
        Ok(post) => crate::rendering::options_for_post(&state, PostId(post)).await?,
        Err(_) => crate::rendering::site_options(&state),
    };
    let Some(html) = preview_of(&state, &user, &input.body, options).await? else {
        return Err(AppError::TooLarge(format!(
            "The text is over {} characters.",
            ponder_core::text::thousands(BODY_MAX as i64)
        )));
    };
    Ok(nothing_stale(
        ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
    ))
}

crate::extract::has_csrf!(AnswerForm, AskForm, CommentForm, PreviewForm);
