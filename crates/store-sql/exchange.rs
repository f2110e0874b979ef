// The Stack Exchange-shaped API's lists, shared by both backends. A list's WHERE
// clause is put together from constant fragments only, every value bound: the set
// of ids (at most one) is `$1` as `id_list!()` reads it, the rest numbered after.
// Each list is two statements (its total, its page) and a third for questions' tags.

use crate::{Backend, Cols, bind_id_list, db_error};
use ponder_core::UserId;
use ponder_core::time::Timestamp;
use ponder_store::rows::{self, RowAccess};
use ponder_store::{
    Comment, IdScope, ListOrder, ListQuery, ListedPost, Page, PostKind, SiteTotals, StoreResult,
    Tag, User,
};
use ponder_store::{comment_columns, post_columns, post_tables, user_columns};
use sqlx::{AssertSqlSafe, Row as _};

/// Where a list's fields are, in posts (`p`) or comments (`c`).
struct Table {
    parent: &'static str,
    author: &'static str,
    id: &'static str,
    activity: &'static str,
    created: &'static str,
    score: &'static str,
    /// The rows a list may show at all.
    live: &'static str,
}

const QUESTIONS: Table = Table {
    parent: "p.parent_id",
    author: "p.author_id",
    id: "p.id",
    activity: "p.last_activity_at",
    created: "p.created_at",
    score: "p.score",
    live: "p.kind = 'question' AND p.deleted_at IS NULL",
};

const ANSWERS: Table = Table {
    live: "p.kind = 'answer' AND p.deleted_at IS NULL AND EXISTS \
           (SELECT 1 FROM posts q WHERE q.id = p.parent_id AND q.deleted_at IS NULL)",
    ..QUESTIONS
};

const COMMENTS: Table = Table {
    parent: "c.post_id",
    author: "c.author_id",
    id: "c.id",
    activity: "c.created_at",
    created: "c.created_at",
    score: "c.score",
    live: "c.deleted_at IS NULL AND EXISTS \
           (SELECT 1 FROM posts x WHERE x.id = c.post_id AND x.deleted_at IS NULL)",
};

/// A value bound after the set of ids.
enum Arg {
    Int(i64),
    Text(String),
}

/// A list's WHERE and ORDER BY, its set of ids and its other values.
struct Clauses {
    filter: String,
    order: String,
    ids: Option<Vec<i64>>,
    args: Vec<Arg>,
}

fn clauses(table: &Table, query: &ListQuery, tagged: bool) -> Clauses {
    let mut filter = table.live.to_owned();
    let ids = match &query.scope {
        IdScope::All => None,
        IdScope::Ids(ids) => Some((table.id, ids)),
        IdScope::Parents(ids) => Some((table.parent, ids)),
        IdScope::Authors(ids) => Some((table.author, ids)),
    }
    .map(|(column, ids)| {
        filter.push_str(&format!(" AND {column} IN ({})", id_list!()));
        ids.clone()
    });
    let mut args = Vec::new();
    if tagged {
        for tag in &query.tagged {
            let n = args_len(ids.is_some(), &args);
            filter.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
                 WHERE pt.post_id = p.id AND t.name = ${n})"
            ));
            args.push(Arg::Text(tag.clone()));
        }
    }
    let field = match query.order {
        ListOrder::Activity => table.activity,
        ListOrder::Creation => table.created,
        ListOrder::Votes => table.score,
    };
    for (bound, op, column) in [
        (query.from, ">=", table.created),
        (query.to, "<", table.created),
        (query.min, ">=", field),
        (query.max, "<=", field),
    ] {
        if let Some(value) = bound {
            let n = args_len(ids.is_some(), &args);
            filter.push_str(&format!(" AND {column} {op} ${n}"));
            args.push(Arg::Int(value));
        }
    }
    let direction = if query.descending { "DESC" } else { "ASC" };
    Clauses {
        filter,
        order: format!(" ORDER BY {field} {direction}, {} {direction}", table.id),
        ids,
        args,
    }
}

/// The number of the next placeholder.
fn args_len(has_ids: bool, args: &[Arg]) -> usize {
    args.len() + 1 + usize::from(has_ids)
}

/// Binds a list's values in their order: its ids first.
fn bind<'q>(
    mut q: sqlx::query::Query<'q, crate::Db, crate::DbArgs>,
    clauses: &Clauses,
) -> sqlx::query::Query<'q, crate::Db, crate::DbArgs> {
    if let Some(ids) = &clauses.ids {
        q = bind_id_list(q, ids.clone());
    }
    for arg in &clauses.args {
        q = match arg {
            Arg::Int(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.clone()),
        };
    }
    q
}

fn offset(query: &ListQuery) -> i64 {
    i64::from(query.page.max(1) - 1) * i64::from(query.per_page)
}

impl Backend {
    async fn total_of(&self, table: &str, clauses: &Clauses) -> StoreResult<i64> {
        self.count();
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {}", clauses.filter);
        bind(sqlx::query(AssertSqlSafe(sql)), clauses)
            .fetch_one(&self.readers)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(db_error)
    }
}

#[async_trait::async_trait]
impl ponder_store::ExchangeStore for Backend {
    async fn list_posts(&self, query: &ListQuery) -> StoreResult<Page<ListedPost>> {
        let table = match query.kind {
            PostKind::Question => &QUESTIONS,
            PostKind::Answer => &ANSWERS,
        };
        let clauses = clauses(table, query, query.kind == PostKind::Question);
        let total = self.total_of("posts p", &clauses).await?;
        let mut items = Vec::new();
        if query.per_page > 0 && total > offset(query) {
            // The page's ids from the indexes, then their rows.
            let sql = format!(
                "SELECT {}, coalesce(p.parent_id, p.id), \
                 (SELECT q.accepted_answer_id FROM posts q WHERE q.id = p.parent_id){} WHERE p.id IN \
                 (SELECT p.id FROM posts p WHERE {}{} LIMIT {} OFFSET {}){}",
                post_columns!(),
                post_tables!(),
                clauses.filter,
                clauses.order,
                query.per_page,
                offset(query),
                clauses.order
            );
            self.count();
            let found = bind(sqlx::query(AssertSqlSafe(sql)), &clauses)
                .fetch_all(&self.readers)
                .await
                .map_err(db_error)?;
            for row in &found {
                let cols = Cols(row);
                let post = rows::post(&cols)?;
                // The accepted answer of an answer's question (none for a question).
                let accepted = match cols.opt_int(rows::POST_COLUMNS + 1)? {
                    Some(answer) => answer == post.id.0,
                    None => post.accepted_answer_id.is_some(),
                };
                items.push(ListedPost {
                    question_id: ponder_core::PostId(cols.int(rows::POST_COLUMNS)?),
                    post,
                    tags: Vec::new(),
                    accepted,
                });
            }
        }
        if query.kind == PostKind::Question && !items.is_empty() {
            self.count();
            let tags: Vec<(i64, String)> = crate::bind_ids(
                sqlx::query_as(concat!(
                    "SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
                     WHERE pt.post_id IN (",
                    id_list!(),
                    ") ORDER BY pt.post_id, pt.position"
                )),
                items.iter().map(|p| p.post.id.0).collect(),
            )
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
            for (post, name) in tags {
                if let Some(item) = items.iter_mut().find(|i| i.post.id.0 == post) {
                    item.tags.push(name);
                }
            }
        }
        Ok(Page {
            items,
            total,
            page: query.page,
            per_page: query.per_page,
        })
    }

    async fn list_comments(&self, query: &ListQuery) -> StoreResult<Page<Comment>> {
        let clauses = clauses(&COMMENTS, query, false);
        let total = self.total_of("comments c", &clauses).await?;
        let mut items = Vec::new();
        if query.per_page > 0 && total > offset(query) {
            let sql = format!(
                "SELECT {} FROM comments c JOIN users u ON u.id = c.author_id WHERE {}{} LIMIT {} OFFSET {}",
                comment_columns!(),
                clauses.filter,
                clauses.order,
                query.per_page,
                offset(query)
            );
            self.count();
            let found = bind(sqlx::query(AssertSqlSafe(sql)), &clauses)
                .fetch_all(&self.readers)
                .await
                .map_err(db_error)?;
            items = found
                .iter()
                .map(|r| rows::comment(&Cols(r)))
                .collect::<StoreResult<Vec<_>>>()?;
        }
        Ok(Page {
            items,
            total,
            page: query.page,
            per_page: query.per_page,
        })
    }

    async fn users_by_ids(&self, ids: &[UserId]) -> StoreResult<Vec<User>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let found = bind_id_list(
            sqlx::query(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users u WHERE u.id IN (",
                id_list!(),
                ") ORDER BY u.id"
            )),
            ids.iter().map(|u| u.0).collect(),
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found.iter().map(|r| rows::user(&Cols(r))).collect()
    }

    async fn tags_by_names(&self, names: &[String]) -> StoreResult<Vec<Tag>> {
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=names.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, name, description, question_count FROM tags WHERE name IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, String, String, i64)>(AssertSqlSafe(sql));
        for name in names {
            q = q.bind(name.clone());
        }
        self.count();
        let found = q.fetch_all(&self.readers).await.map_err(db_error)?;
        let mut tags: Vec<Tag> = found
            .into_iter()
            .map(|(id, name, description, question_count)| Tag {
                id: ponder_core::TagId(id),
                name,
                description,
                question_count,
            })
            .collect();
        tags.sort_by_key(|t| names.iter().position(|n| *n == t.name));
        Ok(tags)
    }

    async fn badge_awards(&self) -> StoreResult<Vec<(String, i64)>> {
        self.count();
        sqlx::query_as("SELECT name, COUNT(*) FROM badges GROUP BY name ORDER BY name")
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)
    }

    async fn badge_counts(&self, users: &[UserId]) -> StoreResult<Vec<(UserId, String, i64)>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let found: Vec<(i64, String, i64)> = crate::bind_ids(
            sqlx::query_as(concat!(
                "SELECT user_id, class, COUNT(*) FROM badges WHERE user_id IN (",
                id_list!(),
                ") GROUP BY user_id, class ORDER BY user_id, class"
            )),
            users.iter().map(|u| u.0).collect(),
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(user, class, n)| (UserId(user), class, n))
            .collect())
    }

    async fn site_totals(&self, now: Timestamp) -> StoreResult<SiteTotals> {
        self.count();
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM posts WHERE kind = 'question' AND deleted_at IS NULL), \
             (SELECT COUNT(*) FROM posts WHERE kind = 'question' AND deleted_at IS NULL AND answer_count = 0), \
             (SELECT COUNT(*) FROM posts WHERE kind = 'question' AND deleted_at IS NULL AND accepted_answer_id IS NOT NULL), \
             (SELECT COUNT(*) FROM posts WHERE kind = 'answer' AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM posts q WHERE q.id = posts.parent_id AND q.deleted_at IS NULL)), \
             (SELECT COUNT(*) FROM comments c WHERE c.deleted_at IS NULL AND EXISTS \
              (SELECT 1 FROM posts x WHERE x.id = c.post_id AND x.deleted_at IS NULL)), \
             (SELECT COUNT(*) FROM votes), \
             (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL), \
             (SELECT COUNT(*) FROM posts WHERE kind = 'question' AND deleted_at IS NULL AND created_at >= $1), \
             (SELECT COUNT(*) FROM posts WHERE kind = 'answer' AND deleted_at IS NULL AND EXISTS (SELECT 1 FROM posts q WHERE q.id = posts.parent_id AND q.deleted_at IS NULL) AND created_at >= $1)",
        )
        .bind(now - 86_400)
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        let cols = Cols(&row);
        Ok(SiteTotals {
            questions: cols.int(0)?,
            unanswered: cols.int(1)?,
            accepted: cols.int(2)?,
            answers: cols.int(3)?,
            comments: cols.int(4)?,
            votes: cols.int(5)?,
            users: cols.int(6)?,
            questions_last_day: cols.int(7)?,
            answers_last_day: cols.int(8)?,
        })
    }
}
