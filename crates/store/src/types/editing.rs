//! Editing: revisions, suggested edits, deletion.

use super::*;
use ponder_core::time::Timestamp;
use ponder_core::{PostId, UserId};

/// Someone deleting or undeleting a post, with the rules the store enforces: a
/// locked post is deleted and undeleted only by a moderator; a post a moderator
/// deleted is undeleted only by a moderator; a post flags hid comes back only
/// through the moderator's restore, which also gives back its author's reputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDeletion {
    /// The post.
    pub post: PostId,
    /// Delete (true) or undelete (false).
    pub delete: bool,
    /// Who asks.
    pub by: UserId,
    /// Whether they moderate the site.
    pub moderator: bool,
    /// Why, as the moderator said (empty for an author's own deletion).
    pub reason: String,
    /// When.
    pub at: Timestamp,
}

/// A post as its edit form needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditablePost {
    /// The post's id.
    pub id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// Its question (itself for a question).
    pub question_id: PostId,
    /// Its question's title.
    pub question_title: String,
    /// Its author.
    pub author_id: UserId,
    /// The title (questions only; empty on answers).
    pub title: String,
    /// The Markdown source.
    pub body_markdown: String,
    /// Its tags (questions only).
    pub tags: Vec<String>,
    /// The id of its newest revision: an edit must name it, so that two editors
    /// cannot silently overwrite each other.
    pub latest_revision: i64,
    /// Whether it was deleted.
    pub deleted: bool,
    /// Whether a moderator locked it: no edits until it is unlocked.
    pub locked: bool,
}

/// An edit of a post.
#[derive(Debug, Clone)]
pub struct PostEdit {
    /// The post.
    pub post: PostId,
    /// Who edits.
    pub editor: UserId,
    /// The revision the editor started from.
    pub base_revision: i64,
    /// The new title (questions; ignored on answers).
    pub title: String,
    /// The new body.
    pub body: PostBody,
    /// The new tags (questions; ignored on answers).
    pub tags: Vec<String>,
    /// Why, in a few words (may be empty).
    pub summary: String,
    /// When.
    pub at: Timestamp,
}

/// One revision of a post: its full state after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The revision's id.
    pub id: i64,
    /// Its number in the post's history, from 1.
    pub number: i64,
    /// Who made it.
    pub editor: UserRef,
    /// The title then (questions).
    pub title: String,
    /// The body then.
    pub body_markdown: String,
    /// The tags then (questions).
    pub tags: Vec<String>,
    /// The editor's summary.
    pub summary: String,
    /// When.
    pub created_at: Timestamp,
}

/// A suggested edit of someone else's post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestedEdit {
    /// Its id.
    pub id: i64,
    /// The post.
    pub post_id: PostId,
    /// Who suggested it.
    pub author: UserRef,
    /// The revision it was written against.
    pub base_revision: i64,
    /// The suggested title (questions).
    pub title: String,
    /// The suggested body.
    pub body_markdown: String,
    /// The suggested tags (questions).
    pub tags: Vec<String>,
    /// Why.
    pub summary: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// The reviewer's reason, when rejected.
    pub reason: String,
    /// When it was suggested.
    pub created_at: Timestamp,
}

/// A new suggested edit.
#[derive(Debug, Clone)]
pub struct NewSuggestedEdit {
    /// The post.
    pub post: PostId,
    /// Who suggests it.
    pub author: UserId,
    /// The revision it was written against.
    pub base_revision: i64,
    /// The suggested title (questions).
    pub title: String,
    /// The suggested body, as Markdown.
    pub body_markdown: String,
    /// The suggested tags (questions).
    pub tags: Vec<String>,
    /// Why.
    pub summary: String,
    /// When.
    pub created_at: Timestamp,
}
