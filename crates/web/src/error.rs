//! The web layer's error, rendered as an HTML page with the right status, or as
//! `{"error":{"code","message"}}` when the request asks for JSON ([`json_errors`]).
//!
//! A user's mistake (a bad page number, a missing question) gets its own message and
//! a 4xx status; a rule's [`Refusal`] gets the status of its class, mapped here and
//! nowhere else (403, 404, 409, 422). A failure inside (the database is down) is
//! logged with its cause and shown only as "Something went wrong", never with the
//! cause itself.

use crate::views::{ErrorPage, render};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ponder_core::refusal::{Refusal, RefusalClass};
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
    /// The database cannot be reached or cannot write just now; try again after
    /// this many seconds.
    #[error("unavailable")]
    Unavailable {
        /// Seconds to wait before trying again.
        retry_after_secs: u64,
    },
    /// The thing changed under the request (another editor saved first).
    #[error("{0}")]
    Conflict(String),
    /// The request's data had the wrong shape or a field a rule refuses (the JSON
    /// API's 422; the message names the field).
    #[error("{0}")]
    Unprocessable(String),
    /// The request body is over the limit.
    #[error("{0}")]
    TooLarge(String),
    /// A rule refused the write.
    #[error("{0}")]
    Refused(Refusal),
    /// Something failed inside; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

impl AppError {
    /// The stable code a JSON client reads.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "not_found",
            Self::BadRequest(_) => "bad_request",
            Self::Forbidden(_) => "forbidden",
            Self::LoginRequired { .. } => "login_required",
            Self::RateLimited { .. } => "rate_limited",
            Self::Busy { .. } => "busy",
            Self::Unavailable { .. } => "unavailable",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable(_) => "invalid_input",
            Self::TooLarge(_) => "too_large",
            Self::Refused(refusal) => refusal.code(),
            Self::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { what } => Self::NotFound(format!("{what} was not found")),
            StoreError::Refused(refusal) => Self::Refused(refusal),
            StoreError::Stale { current } => Self::Refused(Refusal::ChangedMeanwhile { current }),
            StoreError::Conflict { .. } => Self::Conflict(
                "This clashes with something saved meanwhile. Reload the page and try again."
                    .to_owned(),
            ),
            StoreError::Contention(cause) => {
                tracing::warn!(%cause, "a transaction gave way to another; the client is asked to retry");
                Self::Busy {
                    retry_after_secs: 1,
                }
            }
            StoreError::Unstorable(why) => {
                tracing::warn!(%why, "input the database cannot store was refused");
                Self::BadRequest(
                    "The text holds a character that cannot be stored (a NUL, say); remove it and try again."
                        .into(),
                )
            }
            other @ StoreError::Unavailable(_) => {
                tracing::warn!(cause = %error_chain(&other), "the database is unavailable; answered 503");
                Self::Unavailable {
                    retry_after_secs: UNAVAILABLE_RETRY_SECS,
                }
            }
            other @ StoreError::Database(_) => Self::Internal(error_chain(&other)),
        }
    }
}

/// The `Retry-After` of an answer given while the database is away: long enough
/// not to hammer it, short enough for a restart.
pub const UNAVAILABLE_RETRY_SECS: u64 = 10;

/// What the error page says while the database is away.
pub const UNAVAILABLE_MESSAGE: &str = "The site cannot reach its database just now, so this page \
     cannot be shown and nothing can be saved. Try again in a minute.";

/// Turns axum's form rejection into a readable error: 413 for a body over the
/// limit, 400 for anything else that could not be read.
pub fn form_error(rejection: axum::extract::rejection::FormRejection) -> AppError {
    unreadable_form(rejection.status(), &rejection.body_text())
}

/// The error for a form whose body could not be read (`status` and `why` from the
/// extractor's rejection): too large, or unreadable.
pub fn unreadable_form(status: StatusCode, why: &str) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge(
            "That form is larger than this site accepts. Shorten it and try again.".into(),
        )
    } else {
        AppError::BadRequest(format!(
            "The form could not be read ({}). Reload the page and try again.",
            why.chars().take(200).collect::<String>()
        ))
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
        let code = self.code();
        let mut response = self.page();
        let message = match &self {
            Self::Internal(_) => "The server could not finish this request.".to_owned(),
            Self::LoginRequired { .. } => "Log in to do this.".to_owned(),
            Self::RateLimited { .. } => "Too many attempts; wait and try again.".to_owned(),
            Self::Busy { .. } => "The server is busy; try again shortly.".to_owned(),
            Self::Unavailable { .. } => UNAVAILABLE_MESSAGE.to_owned(),
            other => other.to_string(),
        };
        response
            .extensions_mut()
            .insert(ErrorDetails { code, message });
        response
    }
}

/// What [`json_errors`] needs of an error response: its code and message.
#[derive(Debug, Clone)]
struct ErrorDetails {
    code: &'static str,
    message: String,
}

/// The title and status of each class of refusal.
fn refusal_status(class: RefusalClass) -> (StatusCode, &'static str) {
    match class {
        RefusalClass::Forbidden => (StatusCode::FORBIDDEN, "Not allowed"),
        RefusalClass::NotFound => (StatusCode::NOT_FOUND, "Page not found"),
        RefusalClass::Conflict => (StatusCode::CONFLICT, "Changed meanwhile"),
        RefusalClass::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "That cannot be done"),
    }
}

impl AppError {
    /// The error as an HTML page.
    fn page(&self) -> Response {
        let (status, title, message) = match self {
            Self::LoginRequired { next } => {
                let location = format!("/login?next={}", crate::forms::query_encode(next));
                return (
                    StatusCode::SEE_OTHER,
                    [(axum::http::header::LOCATION, location)],
                )
                    .into_response();
            }
            Self::Refused(refusal) => {
                let (status, title) = refusal_status(refusal.class());
                (status, title, refusal.to_string())
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
            Self::Unavailable { retry_after_secs } => {
                return retry_later(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The site is having trouble",
                    UNAVAILABLE_MESSAGE.to_owned(),
                    *retry_after_secs,
                );
            }
            Self::TooLarge(message) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "Too large", message.clone())
            }
            Self::Conflict(message) => (StatusCode::CONFLICT, "Changed meanwhile", message.clone()),
            Self::Unprocessable(message) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "That cannot be done",
                message.clone(),
            ),
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

/// Middleware: an error answered to a request that asks for JSON (`Accept:
/// application/json`, or any request to the API) becomes `{"error":{"code","message"}}` with the same status
/// and headers; a log-in it needs is a 401, not a redirect to the log-in page.
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let wants_json = crate::api::is_api_path(request.uri().path())
        || request
            .headers()
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"));
    let response = next.run(request).await;
    let Some(details) = response.extensions().get::<ErrorDetails>().cloned() else {
        return response;
    };
    if !wants_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    if details.code == "login_required" {
        parts.status = StatusCode::UNAUTHORIZED;
        parts.headers.remove(axum::http::header::LOCATION);
    }
    parts.headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let body = serde_json::json!({
        "error": { "code": details.code, "message": details.message }
    });
    Response::from_parts(parts, axum::body::Body::from(body.to_string()))
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

/// Whether `response` is the answer given because the database is away (an
/// [`AppError::Unavailable`]), which the page cache may replace with a page it
/// kept and a form may come back with what was typed.
pub fn is_unavailable(response: &Response) -> bool {
    response
        .extensions()
        .get::<ErrorDetails>()
        .is_some_and(|details| details.code == "unavailable")
}

/// The answer to any URL no route knows.
pub async fn not_found_fallback() -> AppError {
    AppError::NotFound("There is no page at this address.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(err: StoreError) -> StatusCode {
        AppError::from(err).into_response().status()
    }

    fn boxed(text: &str) -> Box<dyn std::error::Error + Send + Sync> {
        text.into()
    }

    #[test]
    fn store_errors_answer_the_status_of_what_happened() {
        let refused = |refusal| status_of(StoreError::Refused(refusal));
        assert_eq!(refused(Refusal::OwnPostVote), StatusCode::FORBIDDEN);
        assert_eq!(refused(Refusal::AlreadyDone), StatusCode::CONFLICT);
        assert_eq!(
            refused(Refusal::NoSuchUser {
                user: ponder_core::UserId(1)
            }),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            refused(Refusal::AnswerToAnswer {
                post: ponder_core::PostId(2)
            }),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of(StoreError::Stale { current: 3 }),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status_of(StoreError::Conflict {
                constraint: "users_handle_key".into()
            }),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status_of(StoreError::not_found("post 4")),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status_of(StoreError::Contention(boxed("deadlock detected"))),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status_of(StoreError::Unstorable("invalid byte sequence".into())),
            StatusCode::BAD_REQUEST
        );
        let away =
            AppError::from(StoreError::Unavailable(boxed("connection refused"))).into_response();
        assert_eq!(away.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(away.headers()[axum::http::header::RETRY_AFTER], "10");
        assert!(is_unavailable(&away));
        assert_eq!(
            status_of(StoreError::Database(boxed("no such column"))),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn every_error_has_a_snake_case_code() {
        let errors = [
            AppError::NotFound(String::new()),
            AppError::BadRequest(String::new()),
            AppError::Forbidden(String::new()),
            AppError::LoginRequired { next: "/".into() },
            AppError::RateLimited {
                retry_after_secs: 1,
            },
            AppError::Busy {
                retry_after_secs: 1,
            },
            AppError::Unavailable {
                retry_after_secs: 1,
            },
            AppError::Conflict(String::new()),
            AppError::TooLarge(String::new()),
            AppError::Unprocessable(String::new()),
            AppError::Refused(Refusal::PostLocked),
            AppError::Internal(String::new()),
        ];
        let codes: Vec<_> = errors.iter().map(AppError::code).collect();
        assert_eq!(
            codes,
            [
                "not_found",
                "bad_request",
                "forbidden",
                "login_required",
                "rate_limited",
                "busy",
                "unavailable",
                "conflict",
                "too_large",
                "invalid_input",
                "post_locked",
                "internal"
            ]
        );
    }
}
