// The reads, shared by both backends (see README.md here). Every page's reads are a
// fixed set of statements: lists fetch their rows, their total and their tags in
// three; a question's page takes one (thread.rs), however many answers and comments
// it has.
//
// Long on purpose: every read is here, so that a page's fixed set of statements can
// be read in one place.

use crate::{Backend, Cols, Db, DbArgs, bind_ids, db_error};
use ponder_core::paging::{PER_PAGE, QuestionSort};
use ponder_core::{CategoryId, PostId, UserId};
use ponder_store::rows;
use ponder_store::{
    AnswerSummary, Category, Change, Page, QuestionFilter, QuestionQuery, QuestionSummary,
    QuestionThread, StoreResult, Tag, ThreadLinks, User,
};
use ponder_store::{Post, PostKind, SearchDoc};
use ponder_store::{category_columns, post_columns, post_tables, question_summary_columns};
use sqlx::{AssertSqlSafe, Row as _};

/// id, question, kind, title, body, author, category, score, answers, accepted,
/// created, deleted, question deleted.
type SearchRow = (
    i64,
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
);

/// How a filtered list finds its page, chosen from the kept counters before
/// anything is read. A list holding a good part of the site walks the site's order
/// and keeps its own questions: the cost is the page's depth over the list's share
/// of the site. A small list gathers its own questions and sorts them: the cost is
/// the list's length. Either way the questions' rows are not read, only indexes
/// (each order's index carries the category; one led by the category carries
/// every order and the answer count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Walk,
    Gather,
}

impl Way {
    /// The cheaper way to the rows from `skip` to `skip + take` of a list of `length`
    /// questions, in a site whose same list holds `site`, when gathering reads
    /// `gathered` entries (the unanswered are gathered from all the questions).
    fn choose(
        filter: &QuestionFilter,
        skip: i64,
        take: i64,
        (length, site, gathered): (i64, i64, i64),
    ) -> Self {
        match filter {
            QuestionFilter::All => Self::Walk,
            QuestionFilter::Author(_) => Self::Gather,
            QuestionFilter::Category(_) | QuestionFilter::Tag(_) => {
                // Walking reads about (skip + take) × site / length entries.
                let walked = i128::from(skip + take) * i128::from(site);
                if walked <= i128::from(gathered) * i128::from(length) {
                    Self::Walk
                } else {
                    Self::Gather
                }
            }
        }
    }
}

/// A category and the categories under it; `$1` is the category.
macro_rules! subtree {
    () => {
        "(WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
         SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)"
    };
}

/// The filter part of a question list's WHERE clause; `$1` is the filter's value.
/// A unary `+` keeps a column's indexes out of the engine's choice, so that the
/// way chosen is the way taken.
fn filter_clause(filter: &QuestionFilter, way: Way) -> &'static str {
    match (filter, way) {
        (QuestionFilter::All, _) => "",
        (QuestionFilter::Category(_), Way::Walk) => {
            concat!(" AND +p.category_id IN ", subtree!())
        }
        (QuestionFilter::Category(_), Way::Gather) => concat!(" AND p.category_id IN ", subtree!()),
        (QuestionFilter::Tag(_), Way::Walk) => {
            " AND EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = p.id \
             AND pt.tag_id = (SELECT t.id FROM tags t WHERE t.name = $1))"
        }
        (QuestionFilter::Tag(_), Way::Gather) => {
            " AND p.id IN (SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
             WHERE t.name = $1)"
        }
        (QuestionFilter::Author(_), _) => " AND p.author_id = $1",
    }
}

/// The statement reading a question list's total, the same list's total for the
/// whole site, and how many entries gathering the list reads (the unanswered are
/// found among all the list's questions), from the kept counters
/// (`question_counts`); `$1` is the filter's value. A category's totals are its
/// subtree's.
fn total_sql(filter: &QuestionFilter, sort: QuestionSort) -> &'static str {
    /// The totals statement for one column over the counters `$scope` picks.
    macro_rules! total {
        ($column:literal, $scope:expr) => {
            concat!(
                "SELECT CAST(coalesce(sum(",
                $column,
                "), 0) AS BIGINT), \
                 (SELECT ",
                $column,
                " FROM question_counts WHERE scope = 'site' AND scope_id = 0), \
                 CAST(coalesce(sum(questions), 0) AS BIGINT) FROM question_counts WHERE ",
                $scope
            )
        };
    }
    /// Each filter's statement for one column, in `QuestionFilter`'s order.
    macro_rules! totals {
        ($column:literal) => {
            [
                total!($column, "scope = 'site' AND scope_id = 0"),
                total!(
                    $column,
                    concat!("scope = 'category' AND scope_id IN ", subtree!())
                ),
                total!(
                    $column,
                    "scope = 'tag' AND scope_id IN (SELECT id FROM tags WHERE name = $1)"
                ),
                total!($column, "scope = 'author' AND scope_id = $1"),
            ]
        };
    }
    const QUESTIONS: [&str; 4] = totals!("questions");
    const UNANSWERED: [&str; 4] = totals!("unanswered");
    let by_filter = match sort {
        QuestionSort::Unanswered => &UNANSWERED,
        QuestionSort::Active | QuestionSort::Newest | QuestionSort::Score => &QUESTIONS,
    };
    by_filter[match filter {
        QuestionFilter::All => 0,
        QuestionFilter::Category(_) => 1,
        QuestionFilter::Tag(_) => 2,
        QuestionFilter::Author(_) => 3,
    }]
}

/// The sort's extra condition and its order. Gathering orders by `+column`, so that
/// the engine reads the filter's index rather than walk the order's, and finds the
/// unanswered among the list's questions by `+p.answer_count`, which keeps it from
/// walking the site's whole index of unanswered questions instead.
fn sort_clause(sort: QuestionSort, way: Way) -> (&'static str, &'static str) {
    let unanswered = match way {
        Way::Gather => " AND +p.answer_count = 0",
        Way::Walk => " AND p.answer_count = 0",
    };
    match (sort, way) {
        (QuestionSort::Active, Way::Walk) => ("", " ORDER BY p.last_activity_at DESC, p.id DESC"),
        (QuestionSort::Active, Way::Gather) => {
            ("", " ORDER BY +p.last_activity_at DESC, p.id DESC")
        }
        (QuestionSort::Newest, Way::Walk) => ("", " ORDER BY p.created_at DESC, p.id DESC"),
        (QuestionSort::Newest, Way::Gather) => ("", " ORDER BY +p.created_at DESC, p.id DESC"),
        (QuestionSort::Score, Way::Walk) => {
            ("", " ORDER BY p.score DESC, p.created_at DESC, p.id DESC")
        }
        (QuestionSort::Score, Way::Gather) => {
            ("", " ORDER BY +p.score DESC, p.created_at DESC, p.id DESC")
        }
        (QuestionSort::Unanswered, Way::Walk) => {
            (unanswered, " ORDER BY p.created_at DESC, p.id DESC")
        }
        (QuestionSort::Unanswered, Way::Gather) => {
            (unanswered, " ORDER BY +p.created_at DESC, p.id DESC")
        }
    }
}

/// Binds a question filter's value as `$1`.
fn bind_filter<'q>(
    q: sqlx::query::Query<'q, Db, DbArgs>,
    filter: &'q QuestionFilter,
) -> sqlx::query::Query<'q, Db, DbArgs> {
    match filter {
        QuestionFilter::All => q,
        QuestionFilter::Category(id) => q.bind(id.0),
        QuestionFilter::Tag(name) => q.bind(name.as_str()),
        QuestionFilter::Author(id) => q.bind(id.0),
    }
}

/// A tag from its row: id, name, description, question count.
fn tag_from_row((id, name, description, question_count): (i64, String, String, i64)) -> Tag {
    Tag {
        id: ponder_core::TagId(id),
        name,
        description,
        question_count,
    }
}

impl Backend {
    /// Runs `sql`, which reads one column of ids for the list of `ids` it is bound;
    /// no query for no ids.
    async fn ids_for_ids(&self, sql: &'static str, ids: Vec<i64>) -> StoreResult<Vec<i64>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let found: Vec<(i64,)> = bind_ids(sqlx::query_as(sql), ids)
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
        Ok(found.into_iter().map(|(id,)| id).collect())
    }
}

#[async_trait::async_trait]
impl ponder_store::ReadStore for Backend {
    async fn is_empty(&self) -> StoreResult<bool> {
        self.count();
        let any: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) WHERE EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM categories) \
             OR EXISTS (SELECT 1 FROM posts)",
        )
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(any.is_none())
    }

    async fn user(&self, id: UserId) -> StoreResult<Option<User>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            ponder_store::user_columns!(),
            " FROM users u WHERE u.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| rows::user(&Cols(&r))).transpose()
    }

    async fn categories(&self) -> StoreResult<Vec<Category>> {
        self.count();
        let found = sqlx::query(concat!(
            "SELECT ",
            category_columns!(),
            " FROM categories c ORDER BY coalesce(c.parent_id, 0), c.position, c.name"
        ))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found.iter().map(|r| rows::category(&Cols(r))).collect()
    }

    async fn list_questions(&self, query: &QuestionQuery) -> StoreResult<Page<QuestionSummary>> {
        self.count();
        let (total, site, gathered): (i64, Option<i64>, i64) = bind_filter(
            sqlx::query(total_sql(&query.filter, query.sort)),
            &query.filter,
        )
        .fetch_one(&self.readers)
        .await
        .and_then(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .map_err(db_error)?;
        // A page past the list's end has nothing to read (and skipping its rows
        // would read the whole list).
        if query.offset() >= total {
            return Ok(Page {
                items: Vec::new(),
                total,
                page: query.page,
                per_page: query.per_page,
            });
        }
        let way = Way::choose(
            &query.filter,
            query.offset(),
            i64::from(query.per_page),
            (total, site.unwrap_or(total), gathered),
        );
        let filter = filter_clause(&query.filter, way);
        let (sort_filter, order) = sort_clause(query.sort, way);
        let base = " FROM posts p WHERE p.kind = 'question' AND p.deleted_at IS NULL";
        // Only constant fragments are joined here; every value is bound.
        // The page's ids first, from the questions' indexes alone, then their rows:
        // sorting whole rows would read every question of a category to show thirty.
        let (_, row_order) = sort_clause(query.sort, Way::Walk);
        let list_sql = format!(
            "SELECT {} FROM posts p JOIN users u ON u.id = p.author_id \
             WHERE p.id IN (SELECT p.id{base}{filter}{sort_filter}{order} LIMIT {} OFFSET {}){row_order}",
            question_summary_columns!(),
            query.per_page,
            query.offset()
        );
        self.count();
        let found = bind_filter(sqlx::query(AssertSqlSafe(list_sql)), &query.filter)
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
        let mut items = found
            .iter()
            .map(|r| rows::question_summary(&Cols(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        if !items.is_empty() {
            let tags = self
                .tags_of_posts(items.iter().map(|q| q.id.0).collect())
                .await?;
            rows::attach_tags(&mut items, tags);
        }
        Ok(Page {
            items,
            total,
            page: query.page,
            per_page: query.per_page,
        })
    }

    async fn question_thread(&self, id: PostId) -> StoreResult<Option<QuestionThread>> {
        Ok(self.read_thread(id, None).await?.map(|(thread, _)| thread))
    }

    async fn question_page(
        &self,
        id: PostId,
        linked_limit: u32,
    ) -> StoreResult<Option<(QuestionThread, ThreadLinks)>> {
        self.read_thread(id, Some(linked_limit)).await
    }

    async fn post(&self, id: PostId) -> StoreResult<Option<Post>> {
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            post_columns!(),
            post_tables!(),
            " WHERE p.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        row.map(|r| rows::post(&Cols(&r))).transpose()
    }

    async fn question_of(&self, post: PostId) -> StoreResult<Option<PostId>> {
        self.count();
        let found: Option<(String, Option<i64>)> = sqlx::query_as(
            "SELECT p.kind, p.parent_id FROM posts p WHERE p.id = $1 AND p.deleted_at IS NULL \
             AND (p.parent_id IS NULL OR EXISTS \
             (SELECT 1 FROM posts q WHERE q.id = p.parent_id AND q.deleted_at IS NULL))",
        )
        .bind(post.0)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found.map(|(kind, parent)| match (kind.as_str(), parent) {
            ("answer", Some(parent)) => PostId(parent),
            _ => post,
        }))
    }

    async fn post_score(&self, post: PostId) -> StoreResult<Option<i64>> {
        self.count();
        sqlx::query_scalar("SELECT score FROM posts WHERE id = $1")
            .bind(post.0)
            .fetch_optional(&self.readers)
            .await
            .map_err(db_error)
    }

    async fn comment_post(&self, comment: ponder_core::CommentId) -> StoreResult<Option<PostId>> {
        self.count();
        let found: Option<i64> =
            sqlx::query_scalar("SELECT post_id FROM comments WHERE id = $1 AND deleted_at IS NULL")
                .bind(comment.0)
                .fetch_optional(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(found.map(PostId))
    }

    async fn thread_questions(
        &self,
        posts: &[PostId],
        comments: &[ponder_core::CommentId],
    ) -> StoreResult<Vec<PostId>> {
        let mut found = self
            .ids_for_ids(
                concat!(
                    "SELECT coalesce(parent_id, id) FROM posts WHERE id IN (",
                    id_list!(),
                    ")"
                ),
                posts.iter().map(|p| p.0).collect(),
            )
            .await?;
        found.extend(
            self.ids_for_ids(
                concat!(
                    "SELECT coalesce(p.parent_id, p.id) FROM comments c \
                     JOIN posts p ON p.id = c.post_id WHERE c.id IN (",
                    id_list!(),
                    ")"
                ),
                comments.iter().map(|c| c.0).collect(),
            )
            .await?,
        );
        found.sort_unstable();
        found.dedup();
        Ok(found.into_iter().map(PostId).collect())
    }

    async fn post_bodies(&self, posts: &[PostId]) -> StoreResult<Vec<(PostId, String)>> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        self.count();
        let rows: Vec<(i64, String)> = bind_ids(
            sqlx::query_as(concat!(
                "SELECT post_id, body_markdown FROM post_bodies WHERE post_id IN (",
                id_list!(),
                ")"
            )),
            posts.iter().map(|p| p.0).collect(),
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, body)| (PostId(id), body))
            .collect())
    }

    async fn search_documents(&self, posts: &[PostId]) -> StoreResult<Vec<SearchDoc>> {
        if posts.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = posts.iter().map(|q| q.0).collect();
        self.count();
        let found = bind_ids(
            sqlx::query_as::<_, SearchRow>(concat!(
                // The posts' questions, then those questions and their answers, each
                // found through an index (a join on coalesce() would read every post).
                "WITH wanted (qid) AS (SELECT DISTINCT coalesce(x.parent_id, x.id) FROM posts x \
                 WHERE x.id IN (",
                id_list!(),
                ")), thread (id) AS (SELECT qid FROM wanted UNION ALL SELECT a.id FROM posts a \
                 WHERE a.kind = 'answer' AND a.parent_id IN (SELECT qid FROM wanted)) \
                 SELECT p.id, q.id, p.kind, q.title, b.body_markdown, p.author_id, q.category_id, p.score, \
                 q.answer_count, q.accepted_answer_id, p.created_at, p.deleted_at, q.deleted_at \
                 FROM thread t JOIN posts p ON p.id = t.id JOIN post_bodies b ON b.post_id = p.id JOIN posts q ON q.id = coalesce(p.parent_id, p.id) \
                 ORDER BY p.id"
            )),
            ids.clone(),
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        self.count();
        let tags: Vec<(i64, String)> = bind_ids(
            sqlx::query_as(concat!(
                "SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
                 WHERE pt.post_id IN (SELECT coalesce(x.parent_id, x.id) FROM posts x WHERE x.id IN (",
                id_list!(),
                ")) ORDER BY pt.post_id, pt.position"
            )),
            ids,
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(
                |(
                    id,
                    question,
                    kind,
                    title,
                    body,
                    author,
                    category,
                    score,
                    answers,
                    accepted,
                    created,
                    deleted,
                    q_deleted,
                )| {
                    let is_answer = kind == "answer";
                    SearchDoc {
                        id: PostId(id),
                        question_id: PostId(question),
                        kind: if is_answer {
                            PostKind::Answer
                        } else {
                            PostKind::Question
                        },
                        title,
                        body_markdown: body,
                        tags: tags
                            .iter()
                            .filter(|(p, _)| *p == question)
                            .map(|(_, t)| t.clone())
                            .collect(),
                        author_id: UserId(author),
                        category_id: CategoryId(category.unwrap_or_default()),
                        score,
                        answer_count: answers,
                        accepted: if is_answer {
                            accepted == Some(id)
                        } else {
                            accepted.is_some()
                        },
                        created_at: created,
                        visible: deleted.is_none() && q_deleted.is_none(),
                    }
                },
            )
            .collect())
    }

    async fn question_ids_after(&self, after: PostId, limit: u32) -> StoreResult<Vec<PostId>> {
        self.count();
        let found: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM posts WHERE kind = 'question' AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after.0)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found.into_iter().map(PostId).collect())
    }

    async fn max_post_id(&self) -> StoreResult<i64> {
        self.count();
        sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM posts")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)
    }

    async fn sitemap_questions(
        &self,
        from: i64,
        until: i64,
    ) -> StoreResult<Vec<(PostId, String, i64)>> {
        self.count();
        let found: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, title, last_activity_at FROM posts \
             WHERE id >= $1 AND id < $2 AND kind = 'question' AND deleted_at IS NULL ORDER BY id",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(id, title, at)| (PostId(id), title, at))
            .collect())
    }

    async fn last_change_id(&self) -> StoreResult<i64> {
        self.count();
        sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM changes")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)
    }

    async fn popular_tags(&self, limit: u32) -> StoreResult<Vec<Tag>> {
        self.count();
        let found: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, name, description, question_count FROM tags WHERE question_count > 0 \
             ORDER BY question_count DESC, name LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found.into_iter().map(tag_from_row).collect())
    }

    async fn list_tags(
        &self,
        sort: ponder_core::paging::TagSort,
        page: u32,
    ) -> StoreResult<Page<Tag>> {
        use ponder_core::paging::TagSort;
        let sql = match sort {
            TagSort::Popular => {
                "SELECT id, name, description, question_count FROM tags WHERE question_count > 0 \
                 ORDER BY question_count DESC, name LIMIT $1 OFFSET $2"
            }
            TagSort::Name => {
                "SELECT id, name, description, question_count FROM tags WHERE question_count > 0 \
                 ORDER BY name LIMIT $1 OFFSET $2"
            }
            TagSort::Newest => {
                "SELECT id, name, description, question_count FROM tags WHERE question_count > 0 \
                 ORDER BY id DESC LIMIT $1 OFFSET $2"
            }
        };
        self.count();
        let (total,): (i64,) = sqlx::query_as("SELECT count(*) FROM tags WHERE question_count > 0")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        self.count();
        let found: Vec<(i64, String, String, i64)> = sqlx::query_as(sql)
            .bind(i64::from(PER_PAGE))
            .bind(i64::from(page.max(1) - 1) * i64::from(PER_PAGE))
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
        let items = found.into_iter().map(tag_from_row).collect();
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    async fn tag(&self, name: &str) -> StoreResult<Option<Tag>> {
        self.count();
        let found: Option<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, name, description, question_count FROM tags WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found.map(tag_from_row))
    }

    async fn user_answers(&self, user: UserId, page: u32) -> StoreResult<Page<AnswerSummary>> {
        const VISIBLE: &str = "FROM posts a JOIN posts q ON q.id = a.parent_id \
             WHERE a.author_id = $1 AND a.kind = 'answer' AND a.deleted_at IS NULL \
             AND q.deleted_at IS NULL";
        self.count();
        let (total,): (i64,) = sqlx::query_as(AssertSqlSafe(format!("SELECT COUNT(*) {VISIBLE}")))
            .bind(user.0)
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        self.count();
        let found: Vec<(i64, i64, String, i64, Option<i64>, i64)> =
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT a.id, q.id, q.title, a.score, q.accepted_answer_id, a.created_at {VISIBLE} \
                 ORDER BY a.created_at DESC, a.id DESC LIMIT $2 OFFSET $3"
            )))
            .bind(user.0)
            .bind(i64::from(PER_PAGE))
            .bind(i64::from(page.max(1) - 1) * i64::from(PER_PAGE))
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
        let items = found
            .into_iter()
            .map(
                |(id, qid, title, score, accepted, created_at)| AnswerSummary {
                    id: PostId(id),
                    question_id: PostId(qid),
                    question_title: title,
                    score,
                    accepted: accepted == Some(id),
                    created_at,
                },
            )
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        })
    }

    async fn changes_since(&self, after: i64, limit: u32) -> StoreResult<Vec<Change>> {
        self.count();
        let found: Vec<(i64, String, i64, i64)> = sqlx::query_as(concat!(
            "SELECT id, kind, entity_id, created_at FROM changes WHERE id > $1",
            changes_visible!(),
            " ORDER BY id LIMIT $2"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(id, kind, entity_id, created_at)| Change {
                id,
                kind,
                entity_id,
                created_at,
            })
            .collect())
    }

    async fn category_question_count(&self, category: CategoryId) -> StoreResult<i64> {
        self.count();
        let (n,): (i64,) = sqlx::query_as(
            "SELECT CAST(coalesce(sum(questions), 0) AS BIGINT) FROM question_counts \
             WHERE scope = 'category' AND scope_id = $1",
        )
        .bind(category.0)
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(n)
    }
}

impl Backend {
    /// The tags of each of `posts` (questions), as `(post, name)` in post and tag
    /// order: one statement.
    pub(crate) async fn tags_of_posts(&self, posts: Vec<i64>) -> StoreResult<Vec<(i64, String)>> {
        self.count();
        bind_ids(
            sqlx::query_as(concat!(
                "SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
                 WHERE pt.post_id IN (",
                id_list!(),
                ") ORDER BY pt.post_id, pt.position"
            )),
            posts,
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_walks_the_site_when_that_reads_less_than_gathering_its_own() {
        let tag = QuestionFilter::Tag("t".into());
        let category = QuestionFilter::Category(CategoryId(1));
        let choose = |filter: &QuestionFilter, skip, length, site| {
            Way::choose(filter, skip, 30, (length, site, length))
        };
        // 1,000 of a million: walking to 30 reads 30,000 entries, gathering 1,000.
        assert_eq!(choose(&tag, 0, 1_000, 1_000_000), Way::Gather);
        // 100,000 of a million: walking reads 300, gathering 100,000.
        assert_eq!(choose(&tag, 0, 100_000, 1_000_000), Way::Walk);
        // The same list's page 1,000 walks 300,000: gathering reads less.
        assert_eq!(choose(&category, 29_970, 100_000, 1_000_000), Way::Gather);
        // Even, walking wins; one entry more, gathering does.
        assert_eq!(Way::choose(&category, 0, 100, (100, 100, 100)), Way::Walk);
        assert_eq!(Way::choose(&category, 1, 100, (100, 100, 100)), Way::Gather);
        // A tag's 1,500 unanswered of the site's 200,000, gathered from its 7,500
        // questions: walking reads 4,000, gathering 7,500.
        assert_eq!(
            Way::choose(&tag, 0, 30, (1_500, 200_000, 1_500)),
            Way::Gather
        );
        assert_eq!(Way::choose(&tag, 0, 30, (1_500, 200_000, 7_500)), Way::Walk);
        // The whole site is walked; an author's questions are gathered.
        assert_eq!(choose(&QuestionFilter::All, 900, 1, 1), Way::Walk);
        let author = QuestionFilter::Author(UserId(1));
        assert_eq!(choose(&author, 0, 1_000, 1_000), Way::Gather);
        // No overflow at the extremes.
        assert_eq!(
            Way::choose(&tag, i64::MAX / 2, 30, (i64::MAX, i64::MAX, i64::MAX)),
            Way::Walk
        );
    }
}
