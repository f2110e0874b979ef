// Stored Markdown and the HTML rendered from it, read in id order and written back
// one text at a time, for rendering every text again when the renderer changes.
// Shared by both backends.

use crate::{Backend, db_error};
use ponder_core::markdown::SafeHtml;
use ponder_store::{RenderedText, StoreResult, StoredText};

/// The two statements for a kind of text, from its table and columns: the read of
/// a batch after an id, and the write of new HTML where the Markdown is unchanged.
macro_rules! rendered_statements {
    ($table:literal, $id:literal, $markdown:literal, $html:literal) => {
        (
            concat!(
                "SELECT ",
                $id,
                ", ",
                $markdown,
                ", ",
                $html,
                " FROM ",
                $table,
                " WHERE ",
                $id,
                " > $1 ORDER BY ",
                $id,
                " LIMIT $2"
            ),
            concat!(
                "UPDATE ",
                $table,
                " SET ",
                $html,
                " = $3 WHERE ",
                $id,
                " = $1 AND ",
                $markdown,
                " = $2"
            ),
        )
    };
}

/// The read and the write for `kind`.
fn statements(kind: RenderedText) -> (&'static str, &'static str) {
    match kind {
        RenderedText::PostBody => {
            rendered_statements!("post_bodies", "post_id", "body_markdown", "body_html")
        }
        RenderedText::Comment => {
            rendered_statements!("comments", "id", "body_markdown", "body_html")
        }
        RenderedText::About => rendered_statements!("users", "id", "about_markdown", "about_html"),
    }
}

#[async_trait::async_trait]
impl ponder_store::RenderedTextStore for Backend {
    async fn stored_texts(
        &self,
        kind: RenderedText,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredText>> {
        let (read, _) = statements(kind);
        self.count();
        let found: Vec<(i64, String, String)> = sqlx::query_as(read)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(id, markdown, html)| StoredText { id, markdown, html })
            .collect())
    }

    async fn replace_rendered_html(
        &self,
        kind: RenderedText,
        id: i64,
        markdown: &str,
        html: &SafeHtml,
    ) -> StoreResult<bool> {
        let (_, write) = statements(kind);
        self.count();
        let done = sqlx::query(write)
            .bind(id)
            .bind(markdown)
            .bind(html.as_str())
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }
}
