//! What the Stack Exchange-shaped API reads: posts, comments, users and tags in
//! the lists and by the sets of ids its methods take, each list one statement.

use crate::{Post, PostKind};
use ponder_core::PostId;
use ponder_core::time::Timestamp;

/// Which rows a list is limited to: at most one set of ids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IdScope {
    /// Every row.
    #[default]
    All,
    /// Rows with these ids.
    Ids(Vec<i64>),
    /// Rows on these posts (answers of these questions; comments on these posts).
    Parents(Vec<i64>),
    /// Rows by these users.
    Authors(Vec<i64>),
}

/// The order of a list of posts or comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// Last activity.
    #[default]
    Activity,
    /// Creation.
    Creation,
    /// Score.
    Votes,
}

/// A page of posts (or comments) for the Stack Exchange-shaped API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Which rows.
    pub scope: IdScope,
    /// Questions or answers (ignored for comments).
    pub kind: PostKind,
    /// Questions carrying every one of these tags.
    pub tagged: Vec<String>,
    /// Created at or after.
    pub from: Option<Timestamp>,
    /// Created before.
    pub to: Option<Timestamp>,
    /// The order, and the field `min` and `max` bound.
    pub order: ListOrder,
    /// Descending (the default) or ascending.
    pub descending: bool,
    /// The least value of the order's field (a time or a score).
    pub min: Option<i64>,
    /// The greatest value of the order's field.
    pub max: Option<i64>,
    /// The page, from 1.
    pub page: u32,
    /// Rows a page (0 counts without listing).
    pub per_page: u32,
}

/// A post as a list shows it: with its question and, for a question, its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPost {
    /// The post.
    pub post: Post,
    /// Its question (itself for a question).
    pub question_id: PostId,
    /// Its question's tags (empty for an answer).
    pub tags: Vec<String>,
    /// An answer: whether its question's asker accepted it; a question: whether
    /// it has an accepted answer.
    pub accepted: bool,
}

/// The site's totals, as `/info` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SiteTotals {
    /// Questions not deleted.
    pub questions: i64,
    /// Of those, questions without an answer.
    pub unanswered: i64,
    /// Of those, questions with an accepted answer.
    pub accepted: i64,
    /// Answers not deleted.
    pub answers: i64,
    /// Comments not deleted.
    pub comments: i64,
    /// Votes on posts.
    pub votes: i64,
    /// Accounts not deleted.
    pub users: i64,
    /// Questions asked in the last day.
    pub questions_last_day: i64,
    /// Answers written in the last day.
    pub answers_last_day: i64,
}
