//! Help pages: the privileges reputation earns, and the site's about and rules pages.

use super::*;
use askama::Template;
use ponder_core::markdown::SafeHtml;

/// One privilege and the reputation it needs on this site.
pub struct PrivilegeRow {
    /// What it lets one do.
    pub action: &'static str,
    /// The reputation it needs.
    pub needed: String,
    /// Whether the viewer holds it (`None` for a visitor).
    pub held: Option<bool>,
}

/// `/privileges`.
#[derive(Template)]
#[template(path = "help/privileges.html")]
pub struct PrivilegesPage {
    /// Head.
    pub head: Head,
    /// Each privilege, lowest threshold first.
    pub rows: Vec<PrivilegeRow>,
    /// The reputation earned on the site that answering a protected question needs.
    pub answer_protected: String,
    /// The viewer's reputation, if logged in.
    pub reputation: Option<String>,
    /// A note while launch mode lowers the thresholds.
    pub launch: Option<String>,
}

/// `/about` and `/rules`: a page of the site's own Markdown.
#[derive(Template)]
#[template(path = "help/text.html")]
pub struct TextPage {
    /// Head.
    pub head: Head,
    /// The heading.
    pub heading: String,
    /// The text, rendered.
    pub body: SafeHtml,
    /// The site's contact address (may be empty).
    pub contact: String,
}

/// `/help/formatting`: how to write posts, each example with what it becomes.
#[derive(Template)]
#[template(path = "help/formatting.html")]
pub struct FormattingPage {
    /// Head.
    pub head: Head,
    /// The examples: what to type, and its HTML as the site renders it.
    pub examples: Vec<(String, String, SafeHtml)>,
    /// Whether math is on here.
    pub math: bool,
    /// The languages code blocks are highlighted in, by name.
    pub languages: String,
}
