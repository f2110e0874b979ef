//! Search results and the search help page.

use super::*;
use askama::Template;

/// A search result.
pub struct SearchHitView {
    /// Where it leads.
    pub url: String,
    /// Its question's title.
    pub title: String,
    /// Whether it is an answer.
    pub is_answer: bool,
    /// A highlighted passage (escaped, with `<b>`).
    pub snippet_html: String,
    /// Its score.
    pub score: i64,
    /// "2 answers".
    pub answers_label: String,
    /// Accepted, or has an accepted answer.
    pub accepted: bool,
    /// When it was posted.
    pub when: Moment,
}

/// `/search`.
#[derive(Template)]
#[template(path = "search/results.html")]
pub struct SearchPage {
    /// Head.
    pub head: Head,
    /// The query as typed.
    pub q: String,
    /// Sort tabs.
    pub tabs: Vec<SortTab>,
    /// "12 results".
    pub total_label: String,
    /// The results on this page.
    pub hits: Vec<SearchHitView>,
    /// Links to other pages.
    pub pager: Pager,
    /// What the query parser ignored or reinterpreted.
    pub notes: Vec<String>,
    /// What to say when there are no results.
    pub empty_message: String,
    /// Whether anything was searched for.
    pub searched: bool,
}

/// `/search/help`.
#[derive(Template)]
#[template(path = "search/help.html")]
pub struct SearchHelpPage {
    /// Head.
    pub head: Head,
}
