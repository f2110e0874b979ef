//! The web layer's error, rendered as an HTML page with the right status.
//!
//! A user's mistake (a bad page number, a missing question) gets its own message and
//! a 4xx status. A failure inside (the database is down) is logged with its cause and
//! shown only as "Something went wrong", never with the cause itself.

use crate::views::{ErrorPage, render};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ponder_store::StoreError;

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or may not be seen).
    #[error("{0}")]
    NotFound(String),
    /// The request's input was wrong; the message says how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// The viewer may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// This needs a logged-in user; they are sent to log in and brought back to `next`.
    #[error("log-in required")]
    LoginRequired {
        /// Where to come back to.
        next: String,
    },
    /// Too many attempts; try again after this many seconds.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// The server is too busy for this request now; try again after this many seconds.
    #[error("busy")]
    Busy {
        /// Seconds to wait before trying again.
        retry_after_secs: u64,
    },
    /// The thing changed under the request (another editor saved first).
    #[error("{0}")]
    Conflict(String),
    /// The request body is over the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Something failed inside; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { what } => Self::NotFound(format!("{what} was not found")),
            other => Self::Internal(error_chain(&other)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        Self::Internal(format!("template: {err}"))
    }
}

/// An error and its sources, joined, for the log.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            Self::LoginRequired { next } => {
                let location = format!("/login?next={}", crate::forms::query_encode(next));
                return (
                    StatusCode::SEE_OTHER,
                    [(axum::http::header::LOCATION, location)],
                )
                    .into_response();
            }
            Self::Forbidden(message) => (StatusCode::FORBIDDEN, "Not allowed", message.clone()),
            Self::RateLimited { retry_after_secs } => {
                let message = format!(
                    "You have tried this too often in a short time. Wait {} and try again.",
                    ponder_core::text::count(*retry_after_secs as i64, "second", "seconds")
                );
                return retry_later(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many attempts",
                    message,
                    *retry_after_secs,
                );
            }
            Self::Busy { retry_after_secs } => {
                return retry_later(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Busy",
                    "The server is busy right now. Try again shortly; nothing you sent was saved."
                        .to_owned(),
                    *retry_after_secs,
                );
            }
            Self::TooLarge(message) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "Too large", message.clone())
            }
            Self::Conflict(message) => (StatusCode::CONFLICT, "Changed meanwhile", message.clone()),
            Self::NotFound(message) => (StatusCode::NOT_FOUND, "Page not found", message.clone()),
            Self::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                "That request could not be read",
                message.clone(),
            ),
            Self::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not finish this request. Please try again in a moment."
                        .to_owned(),
                )
            }
        };
        let page = ErrorPage::new(status.as_u16(), title, message);
        let mut response = render(&page).into_response();
        *response.status_mut() = status;
        response
    }
}

/// The error page with `status` and a `Retry-After` of `secs`.
fn retry_later(status: StatusCode, title: &str, message: String, secs: u64) -> Response {
    let page = ErrorPage::new(status.as_u16(), title, message);
    let mut response = render(&page).into_response();
    *response.status_mut() = status;
    if let Ok(value) = axum::http::HeaderValue::try_from(secs.to_string()) {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, value);
    }
    response
}

/// The answer to any URL no route knows.
pub async fn not_found_fallback() -> AppError {
    AppError::NotFound("There is no page at this address.".to_owned())
}
