//! A question's page read on PostgreSQL: the thread's five statements in one
//! repeatable-read transaction, then what is listed beside it.

use crate::{Backend, Cols, DbConnection, db_error};
use ponder_core::PostId;
use ponder_store::{
    LinkStore as _, QuestionThread, StoreResult, ThreadLinks, category_columns, comment_columns,
    post_columns, post_tables, rows,
};

impl Backend {
    /// The thread of question `id` and, when `linked_limit` is given, what its page
    /// lists beside it.
    pub(crate) async fn read_thread(
        &self,
        id: PostId,
        linked_limit: Option<u32>,
    ) -> StoreResult<Option<(QuestionThread, ThreadLinks)>> {
        // One read transaction, so the five reads see one state of the thread.
        let mut tx = self.begin_snapshot().await?;
        let thread = self.question_thread_in(&mut tx, id).await;
        tx.commit().await.map_err(db_error)?;
        let Some(thread) = thread? else {
            return Ok(None);
        };
        let links = match linked_limit {
            Some(limit) => self.thread_links(id, limit).await?,
            None => ThreadLinks::default(),
        };
        Ok(Some((thread, links)))
    }

    async fn question_thread_in(
        &self,
        conn: &mut DbConnection,
        id: PostId,
    ) -> StoreResult<Option<QuestionThread>> {
        self.count();
        let Some(row) = sqlx::query(concat!(
            "SELECT ",
            post_columns!(),
            post_tables!(),
            " WHERE p.id = $1 AND p.kind = 'question'"
        ))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_error)?
        else {
            return Ok(None);
        };
        let question = rows::post(&Cols(&row))?;

        self.count();
        let answer_rows = sqlx::query(concat!(
            "SELECT ",
            post_columns!(),
            post_tables!(),
            " WHERE p.parent_id = $1 AND p.kind = 'answer' \
             ORDER BY (p.id = $2) DESC, p.score DESC, p.created_at, p.id"
        ))
        .bind(id.0)
        .bind(question.accepted_answer_id.map_or(0, |a| a.0))
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let answers = answer_rows
            .iter()
            .map(|r| rows::post(&Cols(r)))
            .collect::<StoreResult<Vec<_>>>()?;

        self.count();
        let comment_rows = sqlx::query(concat!(
            "SELECT ",
            comment_columns!(),
            " FROM comments c JOIN users u ON u.id = c.author_id \
             WHERE c.deleted_at IS NULL AND c.post_id IN \
             (SELECT CAST($1 AS BIGINT) UNION ALL SELECT id FROM posts WHERE parent_id = $1 AND kind = 'answer') \
             ORDER BY c.created_at, c.id"
        ))
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let comments = comment_rows
            .iter()
            .map(|r| rows::comment(&Cols(r)))
            .collect::<StoreResult<Vec<_>>>()?;

        self.count();
        let tags: Vec<String> = sqlx::query_scalar(
            "SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
             WHERE pt.post_id = $1 ORDER BY pt.position",
        )
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;

        self.count();
        let path_rows = sqlx::query(concat!(
            "WITH RECURSIVE path(id, depth) AS (SELECT CAST($1 AS BIGINT), 0 UNION ALL \
             SELECT c.parent_id, path.depth + 1 FROM categories c JOIN path ON c.id = path.id \
             WHERE c.parent_id IS NOT NULL AND path.depth < 64) \
             SELECT ",
            category_columns!(),
            " FROM categories c JOIN path ON c.id = path.id ORDER BY path.depth DESC"
        ))
        .bind(question.category_id.map_or(0, |c| c.0))
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let category_path = path_rows
            .iter()
            .map(|r| rows::category(&Cols(r)))
            .collect::<StoreResult<Vec<_>>>()?;

        Ok(Some(QuestionThread {
            question,
            category_path,
            tags,
            answers,
            comments,
        }))
    }
}
