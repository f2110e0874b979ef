//! The pages: askama templates (in `templates/`) and the display models they print,
//! one module a resource. Handlers turn store rows into these models, so templates
//! hold no logic beyond loops and conditions, and every string they print is
//! escaped unless it is HTML that the Markdown renderer sanitized.
//!
//! - [`common`]: the head, links, paths, moments, author cards, pagers.
//! - [`questions`], [`categories`], [`users`], [`posts`], [`search`]: the readers'
//!   pages.
//! - [`inbox`]: the inbox, achievements, following and the follow buttons.
//! - [`api`]: the API reference page.
//! - [`accounts`], [`admin`], [`moderation`], [`errors`]: the rest.

pub mod accounts;
pub mod admin;
pub mod api;
pub mod categories;
pub mod common;
pub mod errors;
pub mod help;
pub mod inbox;
pub mod moderation;
pub mod posts;
pub mod questions;
pub mod search;
pub mod users;

pub use crate::redirect::moved_permanently;
pub use accounts::*;
pub use admin::*;
pub use api::*;
pub use categories::*;
pub use common::*;
pub use errors::*;
pub use help::*;
pub use inbox::*;
pub use moderation::*;
pub use posts::*;
pub use questions::*;
pub use search::*;
pub use users::*;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Renders a page, or logs the failure and answers 500.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(%err, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong").into_response()
        }
    }
}
