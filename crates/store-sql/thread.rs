// A question's page read in one statement (shared by both backends; see README.md
// here).
//
// Each statement is a round trip: on SQLite to the connection's own thread through
// sqlx's driver (and each use of the pool another, the ping with which it takes the
// connection back), on PostgreSQL over the socket. Read statement by statement, a
// question page cost twelve of them on SQLite and nine on PostgreSQL, and a profile
// of fresh question pages found a third of the time in the hand-offs between
// threads. Here the thread, its tags, its category path, its linked questions and
// its related list are one statement answering one row, each part an array that the
// engine's JSON functions build in the order the page shows (the `json_*!()` macros
// name them per engine). One statement also sees one state of the database, which
// the parts read apart needed a transaction for.

use crate::{Backend, db_error};
use ponder_core::PostId;
use ponder_store::rows::{self, RowAccess};
use ponder_store::{
    LinkedQuestion, QuestionThread, RelatedList, StoreError, StoreResult, ThreadLinks,
    category_columns, comment_columns, post_columns, post_tables,
};
use serde_json::Value;

/// The page's parts, one column each: the question (NULL when there is none), its
/// answers (accepted first, then by score, then oldest), the comments of all its
/// posts (oldest first), its tags, its category path (the top category first), its
/// linked questions (at most `$2`, highest score first) and its related list (NULL
/// when none is stored, or only the row that marks it due). Each part's rows are arrays of the columns the shared row
/// mapping reads, so that one mapping serves this read and the others.
const PAGE_SQL: &str = concat!(
    "SELECT (SELECT ",
    json_row!(),
    "(",
    post_columns!(),
    ")",
    json_as_text!(),
    post_tables!(),
    " WHERE p.id = $1 AND p.kind = 'question'), ",
    "(SELECT ",
    json_list_open!(),
    json_row!(),
    "(",
    post_columns!(),
    ") ORDER BY p.id = a.accepted DESC, p.score DESC, p.created_at, p.id",
    json_list_close!(),
    json_as_text!(),
    post_tables!(),
    " CROSS JOIN (SELECT coalesce(accepted_answer_id, 0) AS accepted FROM posts WHERE id = $1) a \
     WHERE p.parent_id = $1 AND p.kind = 'answer'), ",
    "(SELECT ",
    json_list_open!(),
    json_row!(),
    "(",
    comment_columns!(),
    ") ORDER BY c.created_at, c.id",
    json_list_close!(),
    json_as_text!(),
    " FROM comments c JOIN users u ON u.id = c.author_id \
     WHERE c.deleted_at IS NULL AND c.post_id IN \
     (SELECT CAST($1 AS BIGINT) UNION ALL SELECT id FROM posts WHERE parent_id = $1 AND kind = 'answer')), ",
    "(SELECT ",
    json_list_open!(),
    "t.name ORDER BY pt.position",
    json_list_close!(),
    json_as_text!(),
    " FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = $1), ",
    "(WITH RECURSIVE path(id, depth) AS ( \
       SELECT category_id, 0 FROM posts WHERE id = $1 AND category_id IS NOT NULL \
       UNION ALL SELECT c.parent_id, path.depth + 1 FROM categories c JOIN path ON c.id = path.id \
       WHERE c.parent_id IS NOT NULL AND path.depth < 64) \
     SELECT ",
    json_list_open!(),
    json_row!(),
    "(",
    category_columns!(),
    ") ORDER BY path.depth DESC",
    json_list_close!(),
    json_as_text!(),
    " FROM categories c JOIN path ON c.id = path.id), ",
    "(SELECT ",
    json_list_open!(),
    json_row!(),
    "(q.id, q.title, q.score) ORDER BY q.score DESC, q.id",
    json_list_close!(),
    json_as_text!(),
    " FROM ( \
       SELECT q.id, q.title, q.score FROM posts q \
       WHERE q.kind = 'question' AND q.deleted_at IS NULL AND q.id <> $1 AND q.id IN ( \
         SELECT l.question_id FROM post_links l JOIN posts p ON p.id = l.post_id \
         WHERE p.id = $1 AND p.deleted_at IS NULL \
         UNION \
         SELECT l.question_id FROM post_links l JOIN posts p ON p.id = l.post_id \
         WHERE p.parent_id = $1 AND p.kind = 'answer' AND p.deleted_at IS NULL \
         UNION \
         SELECT coalesce(p.parent_id, p.id) FROM post_links l JOIN posts p ON p.id = l.post_id \
         WHERE l.question_id = $1 AND p.deleted_at IS NULL) \
       ORDER BY q.score DESC, q.id LIMIT $2) q), ",
    "(SELECT ",
    json_row!(),
    "(l.computed_at, ",
    json_value!(),
    "((SELECT ",
    json_list_open!(),
    json_row!(),
    "(q.id, q.title, q.score) ORDER BY r.position",
    json_list_close!(),
    " FROM related_questions r \
       JOIN posts q ON q.id = r.related_id AND q.deleted_at IS NULL \
       WHERE r.question_id = l.question_id)))",
    json_as_text!(),
    " FROM related_lists l WHERE l.question_id = $1 AND l.computed_at > 0)"
);

/// The row [`PAGE_SQL`] answers: its seven parts as JSON text.
type PageRow = (
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

/// A linked or related question as the JSON parts carry it: id, title, score.
type LinkRow = (i64, String, i64);

impl Backend {
    /// The thread of question `id` and, when `linked_limit` is given, what its page
    /// lists beside it (with `None`, nothing beside it is returned).
    pub(crate) async fn read_thread(
        &self,
        id: PostId,
        linked_limit: Option<u32>,
    ) -> StoreResult<Option<(QuestionThread, ThreadLinks)>> {
        self.count();
        let row: PageRow = sqlx::query_as(PAGE_SQL)
            .bind(id.0)
            .bind(i64::from(linked_limit.unwrap_or(0)))
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        let (question, answers, comments, tags, path, linked, related) = row;
        let Some(question) = question else {
            return Ok(None);
        };
        let thread = QuestionThread {
            question: rows::post(&JsonRow(parse(&question)?))?,
            category_path: each_row(&path, rows::category)?,
            tags: parse(&tags)?,
            answers: each_row(&answers, rows::post)?,
            comments: each_row(&comments, rows::comment)?,
        };
        if linked_limit.is_none() {
            return Ok(Some((thread, ThreadLinks::default())));
        }
        let link = |(id, title, score): LinkRow| LinkedQuestion {
            id: PostId(id),
            title,
            score,
        };
        let related = related
            .map(|text| parse::<(i64, Vec<LinkRow>)>(&text))
            .transpose()?
            .map(|(computed_at, questions)| RelatedList {
                computed_at,
                questions: questions.into_iter().map(link).collect(),
            });
        let links = ThreadLinks {
            linked: parse::<Vec<LinkRow>>(&linked)?
                .into_iter()
                .map(link)
                .collect(),
            related,
        };
        Ok(Some((thread, links)))
    }
}

/// `text`, which the engine's JSON functions made, as a `T`.
fn parse<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|err| StoreError::Database(Box::new(err)))
}

/// Each row of a JSON array of rows, mapped by `map`.
fn each_row<T>(text: &str, map: impl Fn(&JsonRow) -> StoreResult<T>) -> StoreResult<Vec<T>> {
    parse::<Vec<Vec<Value>>>(text)?
        .into_iter()
        .map(|row| map(&JsonRow(row)))
        .collect()
}

/// One row as a JSON array of its columns, for the shared row mapping.
struct JsonRow(Vec<Value>);

impl JsonRow {
    /// Column `idx`, or an error naming it if the row is shorter.
    fn column(&self, idx: usize) -> StoreResult<&Value> {
        self.0
            .get(idx)
            .ok_or_else(|| unexpected(idx, "no such column"))
    }
}

/// The error for column `idx` holding what the mapping did not expect.
fn unexpected(idx: usize, what: &str) -> StoreError {
    StoreError::Database(format!("column {idx} of a JSON row: {what}").into())
}

impl RowAccess for JsonRow {
    fn int(&self, idx: usize) -> StoreResult<i64> {
        self.opt_int(idx)?
            .ok_or_else(|| unexpected(idx, "null where an integer was expected"))
    }
    fn opt_int(&self, idx: usize) -> StoreResult<Option<i64>> {
        match self.column(idx)? {
            Value::Null => Ok(None),
            value => value
                .as_i64()
                .map(Some)
                .ok_or_else(|| unexpected(idx, "not an integer")),
        }
    }
    fn text(&self, idx: usize) -> StoreResult<String> {
        self.opt_text(idx)?
            .ok_or_else(|| unexpected(idx, "null where text was expected"))
    }
    fn opt_text(&self, idx: usize) -> StoreResult<Option<String>> {
        match self.column(idx)? {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            _ => Err(unexpected(idx, "not text")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_read_integers_text_and_nulls_by_position() {
        let row: Vec<Value> = serde_json::from_str(r#"[7, "seven", null, 1.5, "8"]"#).unwrap();
        let row = JsonRow(row);
        assert_eq!(row.int(0).unwrap(), 7);
        assert_eq!(row.text(1).unwrap(), "seven");
        assert_eq!(row.opt_int(2).unwrap(), None);
        assert_eq!(row.opt_text(2).unwrap(), None);
        // What a column does not hold is an error, never a guess.
        assert!(row.int(1).is_err());
        assert!(row.int(2).is_err());
        assert!(row.int(3).is_err());
        assert!(row.text(0).is_err());
        assert!(row.text(2).is_err());
        assert!(row.opt_int(4).is_err());
        assert!(row.opt_text(5).is_err());
    }
}
