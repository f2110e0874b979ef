//! Markdown rendering off the async workers, a few at a time.
//!
//! Rendering and sanitising a body is bounded by the Markdown module (nesting and
//! open tags), but a long body still takes milliseconds of CPU, so it runs on a
//! [`WorkerPool`] of its own, at most one render a core at once.

use crate::error::AppError;
use crate::offload::WorkerPool;
use ponder_core::markdown::{self, SafeHtml};
use ponder_store::PostBody;
use std::sync::LazyLock;

/// The threads that render: up to one a core.
static RENDERERS: LazyLock<WorkerPool> = LazyLock::new(|| WorkerPool::per_core("ponder-render"));

/// A question's or answer's body: its Markdown and the sanitized HTML of it.
pub async fn post_body(markdown: String) -> Result<PostBody, AppError> {
    Ok(RENDERERS
        .run(move || PostBody::from_markdown(markdown))
        .await?)
}

/// The sanitized HTML of `markdown`, for a preview.
pub async fn preview(markdown: String) -> Result<SafeHtml, AppError> {
    Ok(RENDERERS.run(move || markdown::render(&markdown)).await?)
}
