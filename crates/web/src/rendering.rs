//! Markdown rendering off the async workers, a few at a time, and the options a
//! post is rendered with (the site's math, its question's code language).
//!
//! Rendering and sanitising a body is bounded by the Markdown module (nesting, open
//! tags, the highlighter's time budget), but a long body still takes milliseconds
//! of CPU, so it runs on a [`WorkerPool`] of its own, at most one render a core at
//! once.

use crate::AppState;
use crate::error::AppError;
use crate::offload::WorkerPool;
use ponder_core::PostId;
use ponder_core::markdown::{self, RenderOptions, SafeHtml};
use ponder_store::PostBody;
use std::sync::LazyLock;

/// The threads that render: up to one a core.
static RENDERERS: LazyLock<WorkerPool> = LazyLock::new(|| WorkerPool::per_core("ponder-render"));

/// A body (a post's, a tag wiki's, an about-me): its Markdown and the sanitized HTML
/// of it, rendered with `options`.
pub async fn post_body(markdown: String, options: RenderOptions) -> Result<PostBody, AppError> {
    Ok(RENDERERS
        .run(move || PostBody::rendered(markdown, &options))
        .await?)
}

/// The sanitized HTML of `markdown` rendered with `options`, for a preview.
pub async fn preview(markdown: String, options: RenderOptions) -> Result<SafeHtml, AppError> {
    Ok(RENDERERS
        .run(move || markdown::render_with(&markdown, &options))
        .await?)
}

/// The options for text outside any question (tag wikis, profiles): the site's math,
/// no code language.
pub fn site_options(state: &AppState) -> RenderOptions {
    let none: [&str; 0] = [];
    state.settings().settings.render_options(&none)
}

/// The options for a question tagged `tags`, or for one of its answers.
pub fn options_for_tags<S: AsRef<str>>(state: &AppState, tags: &[S]) -> RenderOptions {
    state.settings().settings.render_options(tags)
}

/// The options for `post` (a question or an answer; the site's alone if there is no
/// such post).
pub async fn options_for_post(state: &AppState, post: PostId) -> Result<RenderOptions, AppError> {
    match state.store.editable_post(post).await? {
        Some(found) if found.kind == ponder_store::PostKind::Question => {
            Ok(options_for_tags(state, &found.tags))
        }
        Some(found) => options_for_thread(state, found.question_id).await,
        None => Ok(site_options(state)),
    }
}

/// The options for a post of the thread of question `question`: its tags read.
pub async fn options_for_thread(
    state: &AppState,
    question: PostId,
) -> Result<RenderOptions, AppError> {
    let tags = state
        .store
        .editable_post(question)
        .await?
        .map(|q| q.tags)
        .unwrap_or_default();
    Ok(options_for_tags(state, &tags))
}
