//! Editing a post, its revision history with word-level differences, and a
//! suggested edit.

use super::*;
use askama::Template;

/// `/posts/{id}/edit`.
#[derive(Template)]
#[template(path = "posts/edit.html")]
pub struct EditPage {
    /// Head.
    pub head: Head,
    /// The post's id.
    pub post_id: i64,
    /// Whether it is a question (with a title and tags).
    pub is_question: bool,
    /// Where the post is.
    pub back_url: String,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

/// A run of text in a difference.
pub struct DiffPiece {
    /// `same`, `added` or `removed`.
    pub kind: &'static str,
    /// The text.
    pub text: String,
}

/// A word-level difference that prints as escaped text with `<ins>` and `<del>`.
pub struct Diff(pub Vec<DiffPiece>);

impl std::fmt::Display for Diff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for piece in &self.0 {
            let (open, close) = match piece.kind {
                "added" => ("<ins>", "</ins>"),
                "removed" => ("<del>", "</del>"),
                _ => ("", ""),
            };
            f.write_str(open)?;
            ponder_core::text::write_escaped_html(f, &piece.text)?;
            f.write_str(close)?;
        }
        Ok(())
    }
}

/// One revision in the history.
pub struct RevisionView {
    /// Its id.
    pub id: i64,
    /// Its number, from 1.
    pub number: i64,
    /// Who made it.
    pub editor: AuthorCard,
    /// When.
    pub when: Moment,
    /// The editor's summary.
    pub summary: String,
    /// The title's difference from the revision before.
    pub title: Diff,
    /// The body's difference.
    pub body: Diff,
    /// The tags' difference.
    pub tags: Diff,
    /// Whether the viewer may roll back to it.
    pub can_roll_back: bool,
}

/// `/posts/{id}/revisions`.
#[derive(Template)]
#[template(path = "posts/revisions.html")]
pub struct RevisionsPage {
    /// Head.
    pub head: Head,
    /// The question's title.
    pub title: String,
    /// The post's id.
    pub post_id: i64,
    /// Whether the post is a question.
    pub is_question: bool,
    /// Where the post is.
    pub back_url: String,
    /// Newest first.
    pub revisions: Vec<RevisionView>,
}

/// `/suggested-edits/{id}`.
#[derive(Template)]
#[template(path = "posts/suggestion.html")]
pub struct SuggestionPage {
    /// Head.
    pub head: Head,
    /// The suggestion's id.
    pub id: i64,
    /// The question's title.
    pub question_title: String,
    /// Where the post is.
    pub back_url: String,
    /// Whether the post is a question.
    pub is_question: bool,
    /// Who suggested it.
    pub suggester: AuthorCard,
    /// When.
    pub when: Moment,
    /// The suggester's summary.
    pub summary: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// The reviewer's reason, when rejected.
    pub reason: String,
    /// The title's difference from the post as it stands.
    pub title: Diff,
    /// The body's difference.
    pub body: Diff,
    /// The tags' difference.
    pub tags: Diff,
    /// Whether the viewer may approve or reject it now.
    pub can_review: bool,
    /// The reject form.
    pub form: crate::forms::FormState,
}

/// `/upload`: uploading an image without script, and the Markdown to paste.
#[derive(Template)]
#[template(path = "posts/upload.html")]
pub struct UploadPage {
    /// Head.
    pub head: Head,
    /// The message beside the file field, if refused.
    pub form: crate::forms::FormState,
    /// The stored image's address and the Markdown that shows it, once uploaded.
    pub uploaded: Option<(String, String)>,
    /// The limits, in words, for the hint.
    pub limits: String,
}
