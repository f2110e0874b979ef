//! The error page.

use super::*;
use askama::Template;

/// Any error.
#[derive(Template)]
#[template(path = "errors/page.html")]
pub struct ErrorPage {
    /// Head.
    pub head: Head,
    /// The HTTP status.
    pub status: u16,
    /// The heading.
    pub heading: String,
    /// What went wrong and what to do.
    pub message: String,
    /// What the visitor sent, shown back because nothing of it was saved.
    pub kept: Vec<KeptField>,
}

/// A field of a form that could not be saved, shown back read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptField {
    /// The field's label.
    pub label: String,
    /// What was typed in it.
    pub value: String,
    /// Lines the text area shows.
    pub rows: usize,
}

impl ErrorPage {
    /// An error page.
    pub fn new(status: u16, heading: &str, message: String) -> Self {
        Self {
            head: Head::bare("Ponder", heading, message.clone()),
            status,
            heading: heading.to_owned(),
            message,
            kept: Vec::new(),
        }
    }

    /// The page, showing back what the visitor sent in `kept`.
    pub fn with_kept(mut self, kept: Vec<KeptField>) -> Self {
        self.kept = kept;
        self
    }
}
