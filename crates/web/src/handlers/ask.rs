//! The ask page. Posting arrives with the editor; until then the page says so, and
//! sends a visitor who is not logged in to log in first.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{Head, Link, NoticePage, render};
use axum::response::Response;

/// `GET /ask`.
pub async fn ask_page(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require_user("/ask")?;
    Ok(render(&NoticePage {
        head: Head::new(&ctx, "Ask a question", "Ask the community a question."),
        heading: "Ask a question".to_owned(),
        message: "Asking is not open on this site yet. You can read and search every question already asked.".to_owned(),
        back: Link { label: "Browse the questions".to_owned(), url: "/questions".to_owned() },
    }))
}
