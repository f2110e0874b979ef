//! Request handlers, one module a resource. Each parses its input, calls the store
//! and picks a view; what they share (list parameters, rows, sort tabs) is here.

pub mod admin;
pub mod admin_categories;
pub mod admin_category;
pub mod admin_settings;
pub mod admin_webhooks;
pub mod auth;
pub mod avatars;
pub mod categories;
pub mod claims;
pub mod client_ip;
pub mod crawlers;
pub mod editing;
pub mod email;
pub mod feeds;
pub mod health;
pub mod help;
pub mod inbox;
pub mod invitations;
pub mod moderation;
pub mod posting;
pub mod questions;
pub mod search;
pub mod settings;
pub mod setup;
pub mod signup;
pub mod static_files;
pub mod suggestions;
pub mod tag_edit;
pub mod tags;
pub mod unsubscribe;
pub mod uploads;
pub mod users;
pub mod voting;

use crate::AppState;
use crate::error::AppError;
use crate::tree::CategoryTree;
use crate::views::{
    AuthorCard, Link, Moment, Pager, QuestionList, QuestionRow, SortTab, question_path, tag_path,
};
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use ponder_core::paging::{PER_PAGE, QuestionSort, parse_page, parse_sort};
use ponder_core::text::count;
use ponder_core::time::Timestamp;
use ponder_store::{QuestionFilter, QuestionQuery, QuestionSummary};
use serde::Deserialize;

/// The query string of a question list: `?sort=newest&page=2`.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    sort: Option<String>,
    page: Option<String>,
}

/// A list's sort and page, checked.
#[derive(Debug, Clone, Copy)]
pub struct ListRequest {
    /// The order.
    pub sort: QuestionSort,
    /// The page, from 1.
    pub page: u32,
}

impl ListRequest {
    /// Reads and checks the query string; a bad value is a 400 that says what to send.
    pub fn from_query(query: Result<Query<ListParams>, QueryRejection>) -> Result<Self, AppError> {
        let Query(params) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
        let sort =
            parse_sort(params.sort.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let page =
            parse_page(params.page.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(Self { sort, page })
    }
}

/// The URL of a list at `base` with this sort and page; defaults are left out.
fn list_url(base: &str, sort: QuestionSort, page: u32) -> String {
    let mut params = Vec::new();
    if sort != QuestionSort::default() {
        params.push(format!("sort={sort}"));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", params.join("&"))
    }
}

/// A list row for a question.
pub fn question_row(
    q: &QuestionSummary,
    tree: &CategoryTree,
    sort: QuestionSort,
    now: Timestamp,
) -> QuestionRow {
    let (when_label, when) = match sort {
        QuestionSort::Active => ("active", q.last_activity_at),
        _ => ("asked", q.created_at),
    };
    QuestionRow {
        url: question_path(q.id, &q.title),
        title: q.title.clone(),
        score: q.score,
        votes_label: count(q.score, "vote", "votes"),
        answers: q.answer_count,
        answers_label: count(q.answer_count, "answer", "answers"),
        has_accepted: q.has_accepted_answer,
        tags: q
            .tags
            .iter()
            .map(|t| Link {
                label: t.clone(),
                url: tag_path(t),
            })
            .collect(),
        category: tree.get(q.category_id).map(|c| Link {
            label: c.name.clone(),
            url: tree.url(c.id),
        }),
        author: AuthorCard::new(&q.author),
        when_label,
        when: Moment::new(when, now),
    }
}

/// Fetches one page of a question list and shapes it for display. A page past the
/// end answers 404 with the number of pages there are.
pub async fn question_list(
    state: &AppState,
    tree: &CategoryTree,
    filter: QuestionFilter,
    request: ListRequest,
    base: &str,
    empty_message: &str,
) -> Result<QuestionList, AppError> {
    let page = state
        .store
        .list_questions(&QuestionQuery {
            filter,
            sort: request.sort,
            page: request.page,
            per_page: PER_PAGE,
        })
        .await?;
    let pages = page.page_count();
    if request.page > pages {
        return Err(AppError::NotFound(format!(
            "There is no page {} of this list; it has {}.",
            request.page,
            count(i64::from(pages), "page", "pages")
        )));
    }
    let now = ponder_core::time::now();
    Ok(QuestionList {
        tabs: QuestionSort::ALL
            .into_iter()
            .map(|sort| SortTab {
                label: sort.label(),
                url: list_url(base, sort, 1),
                current: sort == request.sort,
            })
            .collect(),
        rows: page
            .items
            .iter()
            .map(|q| question_row(q, tree, request.sort, now))
            .collect(),
        pager: Pager::new(request.page, pages, |n| list_url(base, request.sort, n)),
        total_label: count(page.total, "question", "questions"),
        empty_message: empty_message.to_owned(),
    })
}

/// The category tree, fetched whole.
pub async fn category_tree(state: &AppState) -> Result<CategoryTree, AppError> {
    Ok(CategoryTree::new(state.store.categories().await?))
}

/// How many pages `list` fills; 404 when `page` is past the last (the first
/// always exists, empty or not).
pub fn pages_of<T>(page: u32, list: &ponder_store::Page<T>) -> Result<u32, AppError> {
    let pages = list.page_count();
    if page > pages {
        return Err(AppError::NotFound(format!(
            "There is no page {page}; there are {pages}."
        )));
    }
    Ok(pages)
}

/// Parses an id from a URL segment; anything but a positive whole number is a 404.
pub fn parse_id(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        AppError::NotFound(format!(
            "There is no {what} with the id “{}”.",
            raw.chars().take(30).collect::<String>()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_urls_leave_out_defaults() {
        assert_eq!(
            list_url("/questions", QuestionSort::Active, 1),
            "/questions"
        );
        assert_eq!(
            list_url("/questions", QuestionSort::Newest, 1),
            "/questions?sort=newest"
        );
        assert_eq!(
            list_url("/tags/x", QuestionSort::Active, 3),
            "/tags/x?page=3"
        );
        assert_eq!(list_url("/", QuestionSort::Score, 2), "/?sort=score&page=2");
    }

    #[test]
    fn ids_parse_strictly() {
        assert_eq!(parse_id("42", "question").ok(), Some(42));
        for bad in ["0", "-3", "abc", "1e3", "99999999999999999999"] {
            assert!(parse_id(bad, "question").is_err(), "{bad}");
        }
    }
}
