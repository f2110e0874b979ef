//! [`RenderedTextStore`]: stored Markdown and its HTML, read and written back when the renderer changes.

use crate::*;
use async_trait::async_trait;

/// Stored Markdown and its HTML, read and written back when the renderer changes.
#[async_trait]
pub trait RenderedTextStore: Send + Sync {
    /// Up to `limit` stored texts of `kind` with ids above `after`, in id order.
    async fn stored_texts(
        &self,
        kind: RenderedText,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredText>>;

    /// Replaces the stored HTML of the text of `kind` with this id, if its Markdown
    /// is still `markdown` (an edit since it was read wins); whether it did.
    async fn replace_rendered_html(
        &self,
        kind: RenderedText,
        id: i64,
        markdown: &str,
        html: &ponder_core::markdown::SafeHtml,
    ) -> StoreResult<bool>;

    /// The stored texts of `kind` with these ids (those there are), in id order.
    async fn stored_texts_of(
        &self,
        kind: RenderedText,
        ids: Vec<i64>,
    ) -> StoreResult<Vec<StoredText>>;

    /// Replaces the Markdown and HTML of the text of `kind` with this id, if its
    /// Markdown is still `before` (an edit since it was read wins); whether it did.
    async fn replace_text(
        &self,
        kind: RenderedText,
        id: i64,
        before: &str,
        markdown: &str,
        html: &ponder_core::markdown::SafeHtml,
    ) -> StoreResult<bool>;
}
