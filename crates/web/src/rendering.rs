//! Markdown rendering off the async workers, a few at a time.
//!
//! Rendering and sanitising a body is bounded by the Markdown module (nesting and
//! open tags), but a long body still takes milliseconds of CPU: on the async
//! workers it would hold up every other request they serve. So it runs on the
//! blocking pool, with at most as many renders at once as the machine has cores;
//! a request that cannot get a turn within [`WAIT`] is told to try again shortly.

use crate::error::AppError;
use ponder_core::markdown::{self, SafeHtml};
use ponder_store::PostBody;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a render waits for a turn before the request is refused as busy.
pub const WAIT: Duration = Duration::from_secs(5);

/// Turns to render: one a core.
static TURNS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Runs `work` on the blocking pool once a turn is free.
async fn on_render_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _turn = tokio::time::timeout(WAIT, TURNS.acquire())
        .await
        .map_err(|_| AppError::Busy {
            retry_after_secs: 2,
        })?
        .map_err(|_| AppError::Internal("the render turns were closed".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("rendering failed: {e}")))
}

/// A question's or answer's body: its Markdown and the sanitized HTML of it.
pub async fn post_body(markdown: String) -> Result<PostBody, AppError> {
    on_render_pool(move || PostBody::from_markdown(markdown)).await
}

/// The sanitized HTML of `markdown`, for a preview.
pub async fn preview(markdown: String) -> Result<SafeHtml, AppError> {
    on_render_pool(move || markdown::render(&markdown)).await
}
