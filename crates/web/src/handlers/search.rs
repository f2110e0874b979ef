//! Search: the results page, the help page that lists the operators, and the JSON
//! list of similar questions that the ask page shows as the title is typed.

use super::category_tree;
use super::client_ip::ClientIp;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::offload::WorkerPool;
use crate::tree::CategoryTree;
use crate::views::{
    Head, Link, Moment, Pager, SearchHelpPage, SearchHitView, SearchPage, SortTab, question_path,
    render,
};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use ponder_core::CategoryId;
use ponder_core::paging::parse_page;
use ponder_core::text::count;
use ponder_search::{SearchHit, SearchQuery, SearchSort, parse};
use ponder_store::PostKind;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Results per page.
const PER_PAGE: usize = 20;

/// `?q=&sort=&page=`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// Resolves a `category:` operator: a slug path (`history/modern`) or a slug that
/// names one category. `None` when the query has none; `Some(None)` when it names
/// no single category (with a note saying why).
fn resolve_category(tree: &CategoryTree, query: &mut SearchQuery) -> Option<Option<CategoryId>> {
    let name = query.category.clone()?;
    let slugs: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
    if slugs.len() > 1 {
        let found = tree.find_by_slugs(&slugs).map(|c| c.id);
        if found.is_none() {
            query.notes.push(format!("there is no category {name}"));
        }
        return Some(found);
    }
    let matches = tree
        .all()
        .filter(|c| c.slug.eq_ignore_ascii_case(&name))
        .map(|c| c.id)
        .collect::<Vec<_>>();
    match matches.as_slice() {
        [one] => Some(Some(*one)),
        [] => {
            query.notes.push(format!("there is no category {name}"));
            Some(None)
        }
        _ => {
            query.notes.push(format!(
                "several categories are called {name}; write the path, like category:parent/{name}"
            ));
            Some(None)
        }
    }
}

/// Where a hit leads: its question, or the answer within it.
fn hit_url(hit: &SearchHit) -> String {
    let path = question_path(hit.question_id, &hit.title);
    match hit.kind {
        PostKind::Question => path,
        PostKind::Answer => format!("{path}#answer-{}", hit.id),
    }
}

fn search_url(q: &str, sort: SearchSort, page: u32) -> String {
    let mut url = format!("/search?q={}", crate::forms::query_encode(q));
    if sort != SearchSort::Relevance {
        url.push_str(&format!("&sort={}", sort.as_str()));
    }
    if page > 1 {
        url.push_str(&format!("&page={page}"));
    }
    url
}

/// The threads that search: up to one a core, off the async workers.
static SEARCHERS: LazyLock<WorkerPool> = LazyLock::new(|| WorkerPool::per_core("ponder-search"));

/// Runs the search `raw` (in the query language) for the client at `ip`: the
/// parsed query (with its notes) and page `page` of `per_page` results, with their
/// snippets when `snippets` (which reads each hit's body). An empty query finds
/// nothing and costs nothing; any other counts against the client's searches.
pub async fn run_search(
    state: &AppState,
    ip: &str,
    raw: &str,
    sort: SearchSort,
    page: u32,
    per_page: usize,
    snippets: bool,
) -> Result<(SearchQuery, ponder_search::SearchResults), AppError> {
    let mut query = parse(raw);
    let tree = category_tree(state).await?;
    let category = resolve_category(&tree, &mut query);
    let offset = (page as usize).saturating_sub(1) * per_page;
    let search_failed = |e| AppError::Internal(format!("search failed: {e}"));
    let mut results = if query.is_empty() {
        ponder_search::SearchResults::default()
    } else {
        state.limits().check_search(ip)?;
        let index = state.search.clone();
        let asked = query.clone();
        let started = std::time::Instant::now();
        let found = SEARCHERS
            .run(move || index.search(&asked, category, sort, offset, per_page))
            .await?
            .map_err(search_failed)?;
        crate::metrics::metrics().search(started.elapsed());
        found
    };
    if snippets {
        state
            .search
            .add_snippets(&*state.store, &query, category, &mut results.hits)
            .await
            .map_err(search_failed)?;
    }
    Ok((query, results))
}

/// `GET /search?q=&sort=&page=`.
pub async fn search_page(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let raw = params.q.unwrap_or_default();
    let sort = SearchSort::parse(params.sort.as_deref()).map_err(AppError::BadRequest)?;
    let page =
        parse_page(params.page.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let (query, results) = run_search(&state, &ip, &raw, sort, page, PER_PAGE, true).await?;
    let pages = results.total.div_ceil(PER_PAGE).max(1) as u32;
    if page > pages {
        return Err(AppError::NotFound(format!(
            "There is no page {page} of these results; there are {}.",
            count(i64::from(pages), "page", "pages")
        )));
    }
    let now = ponder_core::time::now();
    let shown = raw.trim().chars().take(200).collect::<String>();
    let empty_message = if query.is_empty() {
        "Type what you are looking for: words, \"a phrase\", [tag], user:7 and more.".to_owned()
    } else {
        "Nothing matches. Try fewer or other words, or remove a filter.".to_owned()
    };
    let view = SearchPage {
        head: Head::new(
            &ctx,
            if shown.is_empty() {
                "Search".to_owned()
            } else {
                format!("Search: {shown}")
            },
            "Search the questions and answers on this site.",
        ),
        q: shown.clone(),
        tabs: SearchSort::ALL
            .into_iter()
            .map(|s| SortTab {
                label: match s {
                    SearchSort::Relevance => "Relevance",
                    SearchSort::Newest => "Newest",
                    SearchSort::Votes => "Votes",
                },
                url: search_url(&shown, s, 1),
                current: s == sort,
            })
            .collect(),
        total_label: count(results.total as i64, "result", "results"),
        hits: results
            .hits
            .iter()
            .map(|h| SearchHitView {
                url: hit_url(h),
                title: h.title.clone(),
                is_answer: h.kind == PostKind::Answer,
                snippet_html: h.snippet_html.clone(),
                score: h.score,
                answers_label: count(h.answers as i64, "answer", "answers"),
                accepted: h.accepted,
                when: Moment::new(h.created_at, now),
            })
            .collect(),
        pager: Pager::new(page, pages, |n| search_url(&shown, sort, n)),
        notes: query.notes.clone(),
        empty_message,
        searched: !query.is_empty(),
    };
    Ok(render(&view))
}

/// `GET /search/help`.
pub async fn help_page(ctx: Ctx) -> Response {
    render(&SearchHelpPage {
        head: Head::new(
            &ctx,
            "How to search",
            "The search operators, with examples.",
        ),
    })
}

/// `?title=`.
#[derive(Debug, Default, Deserialize)]
pub struct SimilarParams {
    title: Option<String>,
}

/// One similar question, as JSON.
#[derive(Debug, Serialize)]
pub struct SimilarQuestion {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// How many answers it has.
    pub answers: u64,
    /// Whether an answer is accepted.
    pub accepted: bool,
}

/// Questions whose titles share the rarest words of `title` (or, for words rare
/// enough, whose bodies do), for the API: the ask form's list, found by skipping
/// the blocks of questions that cannot reach the top, so that its cost does not
/// grow with the site as a search over every word of title and body did.
pub fn similar_questions(
    state: &AppState,
    title: &str,
    exclude: Option<ponder_core::PostId>,
    limit: usize,
) -> Vec<SearchHit> {
    let anything = ponder_search::Subject::default();
    by_title(title, |t| {
        state.search.related(t, &anything, exclude, limit)
    })
}

/// The questions `find` gives for `title` (cut to its first 300 characters: a title
/// is shorter, and a longer one asks nothing more); none if the index fails, which
/// is logged, as these lists only help the page they are on.
fn by_title(
    title: &str,
    find: impl FnOnce(&str) -> ponder_search::index::SearchResult<Vec<SearchHit>>,
) -> Vec<SearchHit> {
    let title: String = title.chars().take(300).collect();
    find(&title).unwrap_or_else(|err| {
        tracing::warn!(%err, "questions like a title unavailable");
        Vec::new()
    })
}

/// Up to `limit` questions like `title`, off the async workers, counted against
/// the client's searches.
pub async fn similar_hits(
    state: &AppState,
    ip: &str,
    title: &str,
    limit: usize,
) -> Result<Vec<SearchHit>, AppError> {
    state.limits().check_search(ip)?;
    let worker = state.clone();
    let title = title.to_owned();
    Ok(SEARCHERS
        .run(move || similar_questions(&worker, &title, None, limit))
        .await?)
}

/// `GET /api/v1/questions/similar?title=`: up to 8 questions like the title.
/// Answers for a title are kept for a minute (the ask page asks as the title is
/// typed, and many ask alike); the rest count against the client's searches.
pub async fn similar(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    params: Result<Query<SimilarParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let title = params.ok().and_then(|q| q.0.title).unwrap_or_default();
    let key: String = title
        .split_whitespace()
        .take(60)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some(kept) = state.similar.get(&key) {
        return Ok(Json(&*kept).into_response());
    }
    state.limits().check_search(&ip)?;
    let worker = state.clone();
    let asked = key.clone();
    let hits = SEARCHERS
        .run(move || similar_questions(&worker, &asked, None, 8))
        .await?;
    let list: Vec<SimilarQuestion> = hits
        .iter()
        .map(|h| SimilarQuestion {
            id: h.id.0,
            title: h.title.clone(),
            url: hit_url(h),
            answers: h.answers,
            accepted: h.accepted,
        })
        .collect();
    let answer = std::sync::Arc::new(serde_json::json!({ "questions": list }));
    state.similar.insert(key, answer.clone());
    Ok(Json(&*answer).into_response())
}

/// Links to questions whose titles are like `title` (the ask form's list; a
/// question's related list is [`crate::related`]'s).
pub fn similar_links(state: &AppState, title: &str, limit: usize) -> Vec<Link> {
    similar_questions(state, title, None, limit)
        .iter()
        .map(|h| Link {
            label: h.title.clone(),
            url: hit_url(h),
        })
        .collect()
}
