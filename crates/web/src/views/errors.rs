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
}

impl ErrorPage {
    /// An error page.
    pub fn new(status: u16, heading: &str, message: String) -> Self {
        Self {
            head: Head::bare("Ponder", heading, message.clone()),
            status,
            heading: heading.to_owned(),
            message,
        }
    }
}
