// Stored Markdown and the HTML rendered from it, read in id order and written back
// one text at a time, for rendering every text again when the renderer changes.
// Shared by both backends.

use crate::{Backend, bind_ids, db_error};
use ponder_core::markdown::SafeHtml;
use ponder_store::{RenderedText, StoreResult, StoredText};

/// The statements for a kind of text, from its table and columns: the read of a
/// batch after an id, the write of new HTML where the Markdown is unchanged, and
/// the write of new Markdown and HTML where it is; then the columns' names.
macro_rules! rendered_statements {
    ($table:literal, $id:literal, $markdown:literal, $html:literal) => {
        Statements {
            read: concat!(
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
            write_html: concat!(
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
            write_both: concat!(
                "UPDATE ",
                $table,
                " SET ",
                $markdown,
                " = $3, ",
                $html,
                " = $4 WHERE ",
                $id,
                " = $1 AND ",
                $markdown,
                " = $2"
            ),
            table: $table,
            id: $id,
            markdown: $markdown,
            html: $html,
        }
    };
}

/// What [`rendered_statements`] makes.
struct Statements {
    read: &'static str,
    write_html: &'static str,
    write_both: &'static str,
    table: &'static str,
    id: &'static str,
    markdown: &'static str,
    html: &'static str,
}

/// The statements for `kind`.
fn statements(kind: RenderedText) -> Statements {
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
        self.count();
        let found: Vec<(i64, String, String)> = sqlx::query_as(statements(kind).read)
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
        self.count();
        let done = sqlx::query(statements(kind).write_html)
            .bind(id)
            .bind(markdown)
            .bind(html.as_str())
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn stored_texts_of(
        &self,
        kind: RenderedText,
        ids: Vec<i64>,
    ) -> StoreResult<Vec<StoredText>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let Statements {
            table,
            id,
            markdown,
            html,
            ..
        } = statements(kind);
        let sql = format!(
            "SELECT {id}, {markdown}, {html} FROM {table} WHERE {id} IN ({}) ORDER BY {id}",
            id_list!()
        );
        self.count();
        let found: Vec<(i64, String, String)> =
            bind_ids(sqlx::query_as(sqlx::AssertSqlSafe(sql)), ids)
                .fetch_all(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(id, markdown, html)| StoredText { id, markdown, html })
            .collect())
    }

    async fn replace_text(
        &self,
        kind: RenderedText,
        id: i64,
        before: &str,
        markdown: &str,
        html: &SafeHtml,
    ) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(statements(kind).write_both)
            .bind(id)
            .bind(before)
            .bind(markdown)
            .bind(html.as_str())
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(done.rows_affected() == 1)
    }
}
