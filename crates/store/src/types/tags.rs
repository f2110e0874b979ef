//! Tags beyond their name and count: the wiki, its revisions, synonyms and the
//! moderator-only mark.

use super::*;
use ponder_core::TagId;
use ponder_core::markdown::SafeHtml;
use ponder_core::time::Timestamp;

/// A tag with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagDetails {
    /// The tag, with its short description and count.
    pub tag: Tag,
    /// Its wiki, as Markdown.
    pub wiki_markdown: String,
    /// Its wiki, rendered.
    pub wiki_html: SafeHtml,
    /// Whether only moderators put it on questions.
    pub moderator_only: bool,
    /// The names that become it when typed, alphabetical.
    pub synonyms: Vec<String>,
}

/// What a tag name names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagFound {
    /// A tag.
    Tag(Box<TagDetails>),
    /// A synonym of the tag with this name.
    SynonymOf(String),
}

/// A revision of a tag's description and wiki.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRevision {
    /// Its id.
    pub id: i64,
    /// Who wrote it.
    pub editor: UserRef,
    /// The description it set.
    pub description: String,
    /// The wiki it set, as Markdown.
    pub wiki_markdown: String,
    /// When.
    pub created_at: Timestamp,
}

/// An edit of a tag's description and wiki.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagWikiEdit {
    /// The tag.
    pub tag: TagId,
    /// Who edits.
    pub editor: ponder_core::UserId,
    /// Its short description (plain text).
    pub description: String,
    /// Its wiki.
    pub wiki: PostBody,
    /// When.
    pub at: Timestamp,
}

/// A typed tag name as the site reads it: the tag it becomes (itself, or the
/// master of a synonym) and whether only moderators may use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTag {
    /// The name as typed.
    pub typed: String,
    /// The tag it becomes.
    pub name: String,
    /// Whether only moderators put it on questions.
    pub moderator_only: bool,
}
