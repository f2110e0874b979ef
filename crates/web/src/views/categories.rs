//! The category tree, one category's page, a tag's page and the list of tags.

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
    /// The follow button, for a logged-in viewer.
    pub follow: Option<super::FollowButton>,
    /// The category's ancestors, the top first.
    pub crumbs: Vec<Link>,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: ponder_core::markdown::SafeHtml,
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
    /// The follow button, for a logged-in viewer.
    pub follow: Option<super::FollowButton>,
    /// The tag's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its wiki, rendered.
    pub wiki: ponder_core::markdown::SafeHtml,
    /// The names that become it.
    pub synonyms: Vec<String>,
    /// Whether only moderators put it on questions.
    pub moderator_only: bool,
    /// Whether the viewer may edit its wiki.
    pub can_edit: bool,
    /// Its page's address.
    pub url: String,
    /// Its questions.
    pub list: QuestionList,
}

/// One tag in the list of tags.
pub struct TagRow {
    /// Its name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// "12 questions".
    pub count_label: String,
    /// What it is for (may be empty).
    pub description: String,
}

/// `/tags`.
#[derive(Template)]
#[template(path = "tags/index.html")]
pub struct TagsPage {
    /// Head.
    pub head: Head,
    /// "3 tags".
    pub total_label: String,
    /// The orders.
    pub tabs: Vec<SortTab>,
    /// The tags of this page.
    pub tags: Vec<TagRow>,
    /// The pages.
    pub pager: Pager,
}

/// `/tags/{name}/edit`.
#[derive(Template)]
#[template(path = "tags/edit.html")]
pub struct TagEditPage {
    /// Head.
    pub head: Head,
    /// The tag's name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Its synonyms.
    pub synonyms: Vec<String>,
    /// Whether only moderators use it.
    pub moderator_only: bool,
    /// Whether the viewer moderates (sees the rename, merge and synonym forms).
    pub moderates: bool,
    /// The forms' values and messages.
    pub form: crate::forms::FormState,
}

/// One revision of a tag's wiki.
pub struct TagRevisionRow {
    /// Who wrote it.
    pub editor: AuthorCard,
    /// The description it set.
    pub description: String,
    /// The wiki it set, as Markdown.
    pub wiki: String,
    /// When.
    pub when: Moment,
}

/// `/tags/{name}/revisions`.
#[derive(Template)]
#[template(path = "tags/revisions.html")]
pub struct TagRevisionsPage {
    /// Head.
    pub head: Head,
    /// The tag's name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Its revisions, newest first.
    pub rows: Vec<TagRevisionRow>,
}
