//! Reading an Apache Answer database, its SQLite file or its PostgreSQL database:
//! the tables the importer maps, a page at a time in id order, times as Unix
//! seconds, read-only.
//!
//! The tables and columns are those Answer's own schema gives them (xorm, from
//! its entity definitions): ids are `BIGINT`, times `TIMESTAMP` (text in SQLite),
//! flags small integers or booleans; every value is cast in the query so that
//! both databases give the same Rust types.

use crate::error::ExchangeError;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::path::Path;

/// Rows read per statement.
pub(crate) const PAGE: i64 = 1_000;

/// Tables every Answer database has, from its first release on.
const REQUIRED_TABLES: [&str; 6] = ["user", "question", "answer", "comment", "tag", "tag_rel"];

/// The tables whose rows the progress bar counts (votes are a part of
/// `activity`, so it is left out).
const COUNTED_TABLES: [&str; 8] = [
    "user",
    "tag",
    "question",
    "answer",
    "revision",
    "comment",
    "badge_award",
    "question_link",
];

/// A row read page by page, in the order of its id.
pub(crate) trait Keyed {
    /// Its id in Answer's table.
    fn id(&self) -> i64;
}

macro_rules! keyed {
    ($($row:ty),*) => {
        $(impl Keyed for $row {
            fn id(&self) -> i64 {
                self.id
            }
        })*
    };
}

keyed!(
    UserRow,
    QuestionRow,
    AnswerRow,
    CommentRow,
    RevisionRow,
    VoteRow,
    AwardRow
);

/// An open Answer database.
pub(crate) enum AnswerDb {
    /// Its SQLite file, opened read-only.
    Sqlite(SqlitePool),
    /// Its PostgreSQL database.
    Postgres(PgPool),
}

/// Runs `sql` with `binds` on whichever database `db` is, into rows of `$row`.
macro_rules! fetch {
    ($db:expr, $what:expr, $row:ty, $sql:expr $(, $bind:expr)*) => {{
        // Every query is built here from fixed text; only values are bound.
        let sql = sqlx::AssertSqlSafe(String::from($sql));
        let rows: Result<Vec<$row>, sqlx::Error> = match $db {
            AnswerDb::Sqlite(pool) => {
                sqlx::query_as::<_, $row>(sql)$(.bind($bind))*.fetch_all(pool).await
            }
            AnswerDb::Postgres(pool) => {
                sqlx::query_as::<_, $row>(sql)$(.bind($bind))*.fetch_all(pool).await
            }
        };
        rows.map_err(|source| ExchangeError::Source { what: $what.to_owned(), source })
    }};
}

/// A member: `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    /// 1 verified, 2 to be verified.
    pub mail_status: i64,
    pub rank: i64,
    /// 1 available, 9 suspended, 10 deleted, 11 inactive.
    pub status: i64,
    pub bio: String,
    pub website: String,
    pub location: String,
    pub created_at: Option<i64>,
    pub last_login: Option<i64>,
    pub updated_at: Option<i64>,
}

type UserTuple = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// A tag: `tag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagRow {
    pub id: i64,
    pub slug_name: String,
    /// The tag this one is a synonym of (0 for none).
    pub main_tag_id: i64,
    /// The wiki's Markdown.
    pub original_text: String,
    /// 1 available, 10 deleted.
    pub status: i64,
    /// Reserved tags only moderators may use.
    pub reserved: bool,
}

/// A question: `question`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuestionRow {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub original_text: String,
    /// 1 available, 2 closed, 10 deleted, 11 pending review.
    pub status: i64,
    pub view_count: i64,
    pub vote_count: i64,
    pub answer_count: i64,
    pub accepted_answer_id: i64,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub post_update_time: Option<i64>,
}

type QuestionTuple = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// An answer: `answer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnswerRow {
    pub id: i64,
    pub question_id: i64,
    pub user_id: i64,
    pub original_text: String,
    /// 1 available, 10 deleted, 11 pending review.
    pub status: i64,
    pub vote_count: i64,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// A comment: `comment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommentRow {
    pub id: i64,
    /// The question or answer it is under.
    pub object_id: i64,
    pub user_id: i64,
    pub vote_count: i64,
    /// 1 available, 10 deleted, 11 pending review.
    pub status: i64,
    pub original_text: String,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// A revision: `revision`, its content the whole post as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RevisionRow {
    pub id: i64,
    pub user_id: i64,
    /// 1 question, 2 answer, 3 tag.
    pub object_type: i64,
    pub object_id: i64,
    pub content: String,
    /// The editor's summary.
    pub log: String,
    /// 0 normal, 1 awaiting review, 2 approved, 3 rejected.
    pub status: i64,
    pub created_at: Option<i64>,
}

/// A vote, from `activity` rows whose type is a vote, not cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VoteRow {
    pub id: i64,
    /// Who voted.
    pub user_id: i64,
    /// What on: a question, an answer or a comment.
    pub object_id: i64,
    /// `question.vote_up`, `answer.vote_down`, `comment.vote_up`, …
    pub key: String,
    pub created_at: Option<i64>,
}

/// A badge award, with its badge: `badge_award` joined to `badge`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AwardRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// 1 bronze, 2 silver, 3 gold.
    pub level: i64,
    /// What earned it (a post's id, for badges earned by one).
    pub award_key: String,
    pub created_at: Option<i64>,
}

/// A link between questions: `question_link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRow {
    pub id: i64,
    pub from_question_id: i64,
    pub from_answer_id: i64,
    pub to_question_id: i64,
}

/// `source` as messages show it: a URL's password left out.
pub(crate) fn shown(source: &str) -> String {
    let Some((scheme, rest)) = source.split_once("://") else {
        return source.to_owned();
    };
    let Some((user_info, host)) = rest.rsplit_once('@') else {
        return source.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => source.to_owned(),
    }
}

impl AnswerDb {
    /// Opens `source`: a `postgres://` (or `postgresql://`) URL, or the path of the
    /// SQLite file (`sqlite://` before it is allowed), read-only; then checks it
    /// has Answer's tables.
    pub(crate) async fn open(source: &str) -> Result<Self, ExchangeError> {
        let db = if source.starts_with("postgres://") || source.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(2)
                .connect(source)
                .await
                .map_err(|source| ExchangeError::Source {
                    what: "the PostgreSQL database".to_owned(),
                    source,
                })?;
            Self::Postgres(pool)
        } else {
            let path = source
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            if !Path::new(path).is_file() {
                return Err(ExchangeError::NotAnswer {
                    given: shown(source),
                    why: "there is no such file (give the path of Answer's SQLite file, \
                          answer.db, or a postgres:// URL)"
                        .to_owned(),
                });
            }
            let options = SqliteConnectOptions::new().filename(path).read_only(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await
                .map_err(|source| ExchangeError::Source {
                    what: format!("the SQLite file {path}"),
                    source,
                })?;
            Self::Sqlite(pool)
        };
        let tables = db.tables().await?;
        let missing: Vec<&str> = REQUIRED_TABLES
            .iter()
            .copied()
            .filter(|t| !tables.iter().any(|have| have == t))
            .collect();
        if !missing.is_empty() {
            return Err(ExchangeError::NotAnswer {
                given: shown(source),
                why: format!(
                    "it has no table {}, which every Apache Answer database has",
                    missing.join(", ")
                ),
            });
        }
        Ok(db)
    }

    /// The names of its tables.
    pub(crate) async fn tables(&self) -> Result<Vec<String>, ExchangeError> {
        let sql = match self {
            Self::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table'",
            Self::Postgres(_) => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema()"
            }
        };
        let rows = fetch!(self, "the list of tables", (String,), sql)?;
        Ok(rows.into_iter().map(|(name,)| name).collect())
    }

    /// How many rows the tables the importer reads hold, for a progress bar.
    pub(crate) async fn row_count(&self, tables: &[String]) -> Result<u64, ExchangeError> {
        let mut total = 0u64;
        for table in COUNTED_TABLES {
            if !tables.iter().any(|t| t == table) {
                continue;
            }
            let sql = format!("SELECT CAST(count(*) AS BIGINT) FROM \"{table}\"");
            let rows = fetch!(self, format!("the size of {table}"), (i64,), sql)?;
            total += rows.first().map_or(0, |r| u64::try_from(r.0).unwrap_or(0));
        }
        Ok(total)
    }

    /// `column`, a time, as Unix seconds (NULL when unset).
    fn seconds(&self, column: &str) -> String {
        match self {
            // xorm writes SQLite times as text; a number is taken as seconds.
            Self::Sqlite(_) => format!(
                "(CASE typeof({column}) WHEN 'integer' THEN {column} \
                 WHEN 'text' THEN CAST(strftime('%s', {column}) AS INTEGER) END)"
            ),
            Self::Postgres(_) => format!("CAST(EXTRACT(EPOCH FROM {column}) AS BIGINT)"),
        }
    }

    /// Up to [`PAGE`] members after id `after`.
    pub(crate) async fn users(&self, after: i64) -> Result<Vec<UserRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(id AS BIGINT), username, display_name, e_mail, \
             CAST(mail_status AS BIGINT), CAST(\"rank\" AS BIGINT), CAST(status AS BIGINT), \
             bio, website, location, {}, {}, {} \
             FROM \"user\" WHERE id > $1 ORDER BY id LIMIT $2",
            self.seconds("created_at"),
            self.seconds("last_login_date"),
            self.seconds("updated_at"),
        );
        let rows = fetch!(self, "members (user)", UserTuple, sql, after, PAGE)?;
        Ok(rows
            .into_iter()
            .map(|r| UserRow {
                id: r.0,
                username: r.1.unwrap_or_default(),
                display_name: r.2.unwrap_or_default(),
                email: r.3.unwrap_or_default(),
                mail_status: r.4,
                rank: r.5,
                status: r.6,
                bio: r.7.unwrap_or_default(),
                website: r.8.unwrap_or_default(),
                location: r.9.unwrap_or_default(),
                created_at: r.10,
                last_login: r.11,
                updated_at: r.12,
            })
            .collect())
    }

    /// Every tag (a site has hundreds or thousands).
    pub(crate) async fn tags(&self) -> Result<Vec<TagRow>, ExchangeError> {
        let sql = "SELECT CAST(id AS BIGINT), slug_name, \
                   CAST(main_tag_id AS BIGINT), original_text, CAST(status AS BIGINT), \
                   CAST(CAST(reserved AS INTEGER) AS BIGINT) FROM tag ORDER BY id";
        type Tuple = (i64, Option<String>, i64, Option<String>, i64, i64);
        let rows = fetch!(self, "tags (tag)", Tuple, sql)?;
        Ok(rows
            .into_iter()
            .map(|r| TagRow {
                id: r.0,
                slug_name: r.1.unwrap_or_default(),
                main_tag_id: r.2,
                original_text: r.3.unwrap_or_default(),
                status: r.4,
                reserved: r.5 != 0,
            })
            .collect())
    }

    /// The tags on questions, in force: (question, tag).
    pub(crate) async fn tag_uses(&self) -> Result<Vec<(i64, i64)>, ExchangeError> {
        let sql = "SELECT CAST(object_id AS BIGINT), CAST(tag_id AS BIGINT) FROM tag_rel \
                   WHERE status = 1 ORDER BY id";
        fetch!(self, "tags on questions (tag_rel)", (i64, i64), sql)
    }

    /// Up to [`PAGE`] questions after id `after`.
    pub(crate) async fn questions(&self, after: i64) -> Result<Vec<QuestionRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(id AS BIGINT), CAST(user_id AS BIGINT), \
             title, original_text, CAST(status AS BIGINT), \
             CAST(view_count AS BIGINT), CAST(vote_count AS BIGINT), \
             CAST(answer_count AS BIGINT), CAST(accepted_answer_id AS BIGINT), {}, {}, {} \
             FROM question WHERE id > $1 ORDER BY id LIMIT $2",
            self.seconds("created_at"),
            self.seconds("updated_at"),
            self.seconds("post_update_time"),
        );
        let rows = fetch!(
            self,
            "questions (question)",
            QuestionTuple,
            sql,
            after,
            PAGE
        )?;
        Ok(rows
            .into_iter()
            .map(|r| QuestionRow {
                id: r.0,
                user_id: r.1,
                title: r.2.unwrap_or_default(),
                original_text: r.3.unwrap_or_default(),
                status: r.4,
                view_count: r.5,
                vote_count: r.6,
                answer_count: r.7,
                accepted_answer_id: r.8,
                created_at: r.9,
                updated_at: r.10,
                post_update_time: r.11,
            })
            .collect())
    }

    /// Up to [`PAGE`] answers after id `after`.
    pub(crate) async fn answers(&self, after: i64) -> Result<Vec<AnswerRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(id AS BIGINT), CAST(question_id AS BIGINT), CAST(user_id AS BIGINT), \
             original_text, CAST(status AS BIGINT), \
             CAST(vote_count AS BIGINT), {}, {} \
             FROM answer WHERE id > $1 ORDER BY id LIMIT $2",
            self.seconds("created_at"),
            self.seconds("updated_at"),
        );
        type Tuple = (
            i64,
            i64,
            i64,
            Option<String>,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
        );
        let rows = fetch!(self, "answers (answer)", Tuple, sql, after, PAGE)?;
        Ok(rows
            .into_iter()
            .map(|r| AnswerRow {
                id: r.0,
                question_id: r.1,
                user_id: r.2,
                original_text: r.3.unwrap_or_default(),
                status: r.4,
                vote_count: r.5,
                created_at: r.6,
                updated_at: r.7,
            })
            .collect())
    }

    /// Up to [`PAGE`] comments after id `after`.
    pub(crate) async fn comments(&self, after: i64) -> Result<Vec<CommentRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(id AS BIGINT), CAST(object_id AS BIGINT), CAST(user_id AS BIGINT), \
             CAST(vote_count AS BIGINT), CAST(status AS BIGINT), original_text, {}, {} \
             FROM comment WHERE id > $1 ORDER BY id LIMIT $2",
            self.seconds("created_at"),
            self.seconds("updated_at"),
        );
        type Tuple = (
            i64,
            i64,
            i64,
            i64,
            i64,
            Option<String>,
            Option<i64>,
            Option<i64>,
        );
        let rows = fetch!(self, "comments (comment)", Tuple, sql, after, PAGE)?;
        Ok(rows
            .into_iter()
            .map(|r| CommentRow {
                id: r.0,
                object_id: r.1,
                user_id: r.2,
                vote_count: r.3,
                status: r.4,
                original_text: r.5.unwrap_or_default(),
                created_at: r.6,
                updated_at: r.7,
            })
            .collect())
    }

    /// Up to [`PAGE`] revisions of questions and answers after id `after`.
    pub(crate) async fn revisions(&self, after: i64) -> Result<Vec<RevisionRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(id AS BIGINT), CAST(user_id AS BIGINT), CAST(object_type AS BIGINT), \
             CAST(object_id AS BIGINT), content, log, CAST(status AS BIGINT), {} \
             FROM revision WHERE id > $1 AND object_type IN (1, 2) ORDER BY id LIMIT $2",
            self.seconds("created_at"),
        );
        type Tuple = (
            i64,
            i64,
            i64,
            i64,
            Option<String>,
            Option<String>,
            i64,
            Option<i64>,
        );
        let rows = fetch!(self, "revisions (revision)", Tuple, sql, after, PAGE)?;
        Ok(rows
            .into_iter()
            .map(|r| RevisionRow {
                id: r.0,
                user_id: r.1,
                object_type: r.2,
                object_id: r.3,
                content: r.4.unwrap_or_default(),
                log: r.5.unwrap_or_default(),
                status: r.6,
                created_at: r.7,
            })
            .collect())
    }

    /// Up to [`PAGE`] votes in force after activity id `after`: the voter's own
    /// activity rows (`question.vote_up` and the like; the author's
    /// `question.voted_up` rows are the same votes seen from the other side).
    pub(crate) async fn votes(&self, after: i64) -> Result<Vec<VoteRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(a.id AS BIGINT), CAST(a.user_id AS BIGINT), CAST(a.object_id AS BIGINT), \
             c.\"key\", {} FROM activity a JOIN config c ON c.id = a.activity_type \
             WHERE a.id > $1 AND a.cancelled = 0 AND c.\"key\" IN ('question.vote_up', \
             'question.vote_down', 'answer.vote_up', 'answer.vote_down', 'comment.vote_up') \
             ORDER BY a.id LIMIT $2",
            self.seconds("a.created_at"),
        );
        type Tuple = (i64, i64, i64, String, Option<i64>);
        let rows = fetch!(self, "votes (activity)", Tuple, sql, after, PAGE)?;
        Ok(rows
            .into_iter()
            .map(|r| VoteRow {
                id: r.0,
                user_id: r.1,
                object_id: r.2,
                key: r.3,
                created_at: r.4,
            })
            .collect())
    }

    /// Up to [`PAGE`] badge awards after id `after`, of badges not deleted.
    pub(crate) async fn awards(&self, after: i64) -> Result<Vec<AwardRow>, ExchangeError> {
        let sql = format!(
            "SELECT CAST(a.id AS BIGINT), CAST(a.user_id AS BIGINT), b.name, \
             CAST(b.level AS BIGINT), a.award_key, {} FROM badge_award a \
             JOIN badge b ON b.id = a.badge_id \
             WHERE a.id > $1 AND a.is_badge_deleted = 0 ORDER BY a.id LIMIT $2",
            self.seconds("a.created_at"),
        );
        type Tuple = (i64, i64, Option<String>, i64, Option<String>, Option<i64>);
        let rows = fetch!(self, "badges (badge_award)", Tuple, sql, after, PAGE)?;
        Ok(rows
            .into_iter()
            .map(|r| AwardRow {
                id: r.0,
                user_id: r.1,
                name: r.2.unwrap_or_default(),
                level: r.3,
                award_key: r.4.unwrap_or_default(),
                created_at: r.5,
            })
            .collect())
    }

    /// The site's own address (`https://answer.example.org`), from its general
    /// settings, if it says.
    pub(crate) async fn site_url(&self) -> Result<Option<String>, ExchangeError> {
        let sql = "SELECT content FROM site_info WHERE type = 'general' ORDER BY id LIMIT 1";
        let rows = fetch!(self, "the site's settings (site_info)", (String,), sql)?;
        Ok(rows.first().and_then(|(json,)| {
            let value: serde_json::Value = serde_json::from_str(json).ok()?;
            let url = value.get("site_url")?.as_str()?.trim();
            (!url.is_empty()).then(|| url.to_owned())
        }))
    }

    /// The ids of the questions, and of the answers to them, that an import
    /// brings: what links inside posts may be made local to.
    pub(crate) async fn post_ids(&self) -> Result<Vec<i64>, ExchangeError> {
        let sql = "SELECT CAST(id AS BIGINT) FROM question UNION ALL \
                   SELECT CAST(a.id AS BIGINT) FROM answer a JOIN question q ON q.id = a.question_id";
        let rows = fetch!(self, "the posts' ids", (i64,), sql)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Every member's role: (member, role), 1 user, 2 admin, 3 moderator.
    pub(crate) async fn roles(&self) -> Result<Vec<(i64, i64)>, ExchangeError> {
        let sql = "SELECT CAST(user_id AS BIGINT), CAST(role_id AS BIGINT) FROM user_role_rel \
                   ORDER BY id";
        fetch!(self, "roles (user_role_rel)", (i64, i64), sql)
    }

    /// Every link between questions in force.
    pub(crate) async fn links(&self) -> Result<Vec<LinkRow>, ExchangeError> {
        let sql = "SELECT CAST(id AS BIGINT), CAST(from_question_id AS BIGINT), \
                   CAST(COALESCE(from_answer_id, 0) AS BIGINT), CAST(to_question_id AS BIGINT) \
                   FROM question_link WHERE status = 1 ORDER BY id";
        let rows = fetch!(self, "links (question_link)", (i64, i64, i64, i64), sql)?;
        Ok(rows
            .into_iter()
            .map(|r| LinkRow {
                id: r.0,
                from_question_id: r.1,
                from_answer_id: r.2,
                to_question_id: r.3,
            })
            .collect())
    }

    /// Closes the connections.
    pub(crate) async fn close(&self) {
        match self {
            Self::Sqlite(pool) => pool.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            shown("postgres://answer:s3cret@db:5432/answer"),
            "postgres://answer:***@db:5432/answer"
        );
        assert_eq!(shown("postgres://p:a@ss@db/x"), "postgres://p:***@db/x");
        assert_eq!(
            shown("postgres://answer@db/answer"),
            "postgres://answer@db/answer"
        );
        assert_eq!(shown("/data/answer.db"), "/data/answer.db");
    }
}
