//! Markdown rendering off the async workers, a few at a time.
//!
//! Rendering and sanitising a body is bounded by the Markdown module (nesting and
//! open tags), but a long body still takes milliseconds of CPU, so it runs through
//! [`crate::offload`], at most one render a core at once.

use crate::error::AppError;
use crate::offload::Turns;
use ponder_core::markdown::{self, SafeHtml};
use ponder_store::PostBody;
use std::sync::LazyLock;

/// Turns to render: one a core.
static TURNS: LazyLock<Turns> = LazyLock::new(Turns::per_core);

/// A question's or answer's body: its Markdown and the sanitized HTML of it.
pub async fn post_body(markdown: String) -> Result<PostBody, AppError> {
    TURNS.run(move || PostBody::from_markdown(markdown)).await
}

/// The sanitized HTML of `markdown`, for a preview.
pub async fn preview(markdown: String) -> Result<SafeHtml, AppError> {
    TURNS.run(move || markdown::render(&markdown)).await
}
