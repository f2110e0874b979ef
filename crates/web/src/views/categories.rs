//! The category tree, one category's page, and a tag's page.

use super::*;
use askama::Template;

/// `/categories`.
#[derive(Template)]
#[template(path = "categories/index.html")]
pub struct CategoriesPage {
    /// Head.
    pub head: Head,
    /// Every category, depth first, with its depth (0 at the top).
    pub entries: Vec<(usize, Link, String)>,
}

/// `/categories/{path}`.
#[derive(Template)]
#[template(path = "categories/show.html")]
pub struct CategoryPage {
    /// Head.
    pub head: Head,
    /// The category's ancestors, the top first.
    pub crumbs: Vec<Link>,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its children.
    pub children: Vec<Link>,
    /// Its questions and its descendants'.
    pub list: QuestionList,
}

/// `/tags/{name}`.
#[derive(Template)]
#[template(path = "tags/show.html")]
pub struct TagPage {
    /// Head.
    pub head: Head,
    /// The tag's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its questions.
    pub list: QuestionList,
}
