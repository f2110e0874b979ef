//! The log-in and ask pages. Accounts and posting arrive in later work; until then
//! these pages say so plainly, so the links that lead here (Leave a comment, Ask a
//! question) end somewhere honest rather than at a 404.

use crate::AppState;
use crate::views::{Head, Link, NoticePage, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

/// The query string of `/login`: where to go back to.
#[derive(Debug, Default, Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

/// A local path to return to, or the home page: only a path on this site is
/// followed, so `next` cannot send a reader elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `GET /login`.
pub async fn login_page(
    State(state): State<AppState>,
    query: Result<Query<NextParam>, QueryRejection>,
) -> Response {
    let next = safe_next(query.as_ref().ok().and_then(|q| q.next.as_deref()));
    render(&NoticePage {
        head: Head::new(
            &state.site.name,
            "Log in",
            "Log in to ask, answer and comment.",
        ),
        heading: "Log in".to_owned(),
        message: "Accounts are not open on this site yet. Reading needs no account; asking, \
                  answering and commenting will need one."
            .to_owned(),
        back: Link {
            label: "Back to where you were".to_owned(),
            url: next,
        },
    })
}

/// `GET /ask`.
pub async fn ask_page(State(state): State<AppState>) -> Response {
    render(&NoticePage {
        head: Head::new(
            &state.site.name,
            "Ask a question",
            "Ask the community a question.",
        ),
        heading: "Ask a question".to_owned(),
        message: "Asking needs an account, and accounts are not open on this site yet.".to_owned(),
        back: Link {
            label: "Browse the questions already asked".to_owned(),
            url: "/questions".to_owned(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_the_site() {
        assert_eq!(
            safe_next(Some("/questions/1/x#answer-2")),
            "/questions/1/x#answer-2"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
