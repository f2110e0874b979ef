//! `/api/v1`: the JSON API, a second transport over the same actions as the HTML
//! forms ([`crate::actions`]); no rule is written here. Reads are served like pages
//! (the page cache keeps visitors' answers, with ETags and compression); writes
//! take a member's API token (`Authorization: Bearer`), or their session with the
//! session's CSRF token in an `X-CSRF-Token` header. Every error is
//! `{"error":{"code","message"}}` with the status of its kind.
//!
//! - [`reads`]: questions, answers, revisions, users, tags, categories, search, the
//!   member's inbox and what they follow.
//! - [`writes`]: asking, answering, commenting, voting, accepting, editing,
//!   flagging, closing and reopening.
//! - [`schema`]: the shapes answered.
//! - [`docs`]: the OpenAPI document, generated from these handlers, and the
//!   reference page made from it.

pub mod docs;
pub mod reads;
pub mod schema;
pub mod writes;

use crate::auth::Ctx;
use crate::error::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::routing::{get, post};
use ponder_store::User;
use serde::de::DeserializeOwned;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

/// The most items a page of any list may hold.
pub const MAX_PER_PAGE: u32 = 100;

/// Items a page when the client does not say.
pub const DEFAULT_PER_PAGE: u32 = 30;

/// The API's routes (they run behind the same layers as the pages).
pub fn routes() -> crate::routes::Routes {
    use axum::handler::Handler;
    let post_limit = axum::extract::DefaultBodyLimit::max(crate::routes::MAX_POST_FORM_BYTES);
    crate::routes::Routes::new()
        .route("/api/v1/openapi.json", get(docs::openapi_json))
        .route("/api/v1/docs", get(docs::reference))
        .route(
            "/api/v1/questions",
            get(reads::list_questions).post(writes::ask.layer(post_limit)),
        )
        .route("/api/v1/questions/{id}", get(reads::question))
        .route(
            "/api/v1/questions/{id}/answers",
            post(writes::answer.layer(post_limit)),
        )
        .route("/api/v1/questions/{id}/close", post(writes::close))
        .route("/api/v1/questions/{id}/reopen", post(writes::reopen))
        .route("/api/v1/answers/{id}", get(reads::answer))
        .route("/api/v1/answers/{id}/accept", post(writes::accept))
        .route(
            "/api/v1/posts/{id}",
            axum::routing::patch(writes::edit.layer(post_limit)),
        )
        .route("/api/v1/posts/{id}/revisions", get(reads::revisions))
        .route("/api/v1/posts/{id}/comments", post(writes::comment))
        .route("/api/v1/posts/{id}/vote", post(writes::vote))
        .route("/api/v1/posts/{id}/flags", post(writes::flag))
        .route("/api/v1/search", get(reads::search))
        .route("/api/v1/users/{id}", get(reads::user))
        .route("/api/v1/users/{id}/questions", get(reads::user_questions))
        .route("/api/v1/users/{id}/answers", get(reads::user_answers))
        .route("/api/v1/tags", get(reads::tags))
        .route("/api/v1/tags/{name}", get(reads::tag))
        .route("/api/v1/categories", get(reads::categories))
        .route("/api/v1/me", get(reads::me))
        .route("/api/v1/me/inbox", get(reads::inbox))
        .route("/api/v1/me/following", get(reads::following))
}

/// Whether `path` is the API's, where every error is JSON.
pub fn is_api_path(path: &str) -> bool {
    path == PREFIX || path.starts_with("/api/v1/") || path == "/uploads"
}

/// A JSON request body of type `T`. A body that is not JSON, or not
/// `application/json`, is a 400; JSON of the wrong shape (a missing or unknown
/// field, a wrong type) a 422 that names the field; one over the limit a 413.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

/// The error for a body [`ApiJson`] could not read.
fn json_error(rejection: JsonRejection) -> AppError {
    let detail: String = rejection.body_text().chars().take(300).collect();
    match rejection {
        JsonRejection::JsonDataError(_) => AppError::Unprocessable(detail),
        JsonRejection::MissingJsonContentType(_) => AppError::BadRequest(
            "Send the body as JSON, with Content-Type: application/json.".into(),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::TooLarge("That body is larger than this site accepts.".into())
        }
        _ => AppError::BadRequest(detail),
    }
}

/// Query parameters of type `T`; ones that cannot be read are a 400 that says why.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|rejection: QueryRejection| {
                AppError::BadRequest(rejection.body_text().chars().take(300).collect())
            })
    }
}

/// The member a write acts for: a write token's, or a session's when the request
/// carries the session's CSRF token in `X-CSRF-Token` (a page's script may call
/// the API; another site cannot read the token to forge the header). Visitors are
/// refused 401; suspended members with the reason.
pub fn api_writer<'a>(ctx: &'a Ctx, headers: &axum::http::HeaderMap) -> Result<&'a User, AppError> {
    let user = ctx.require_writer(PREFIX)?;
    if ctx.token.is_none() {
        let sent = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        ctx.verify_csrf(sent).map_err(|_| {
            AppError::Forbidden(
                "A write with a session needs its CSRF token in an X-CSRF-Token header; \
                 programs should use an API token instead."
                    .into(),
            )
        })?;
    }
    Ok(user)
}

/// `?page=&per_page=`, checked: pages from 1, up to [`MAX_PER_PAGE`] items a page.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<u32>,
    /// Items a page, 1 to 100 (30 if not given).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

impl PageParams {
    /// The page asked for, refused 400 outside 1 to [`MAX_PAGE`](ponder_core::paging::MAX_PAGE).
    pub fn page(&self) -> Result<u32, AppError> {
        match self.page {
            None => Ok(1),
            Some(page @ 1..=ponder_core::paging::MAX_PAGE) => Ok(page),
            Some(0) => Err(AppError::BadRequest(format!(
                "page must be from 1 to {}, not 0",
                ponder_core::paging::MAX_PAGE
            ))),
            Some(other) => Err(AppError::BadRequest(
                ponder_core::paging::PagingError::TooDeep(u64::from(other)).to_string(),
            )),
        }
    }

    /// Items a page, refused 400 outside 1 to [`MAX_PER_PAGE`].
    pub fn per_page(&self) -> Result<u32, AppError> {
        match self.per_page {
            None => Ok(DEFAULT_PER_PAGE),
            Some(n @ 1..=MAX_PER_PAGE) => Ok(n),
            Some(other) => Err(AppError::BadRequest(format!(
                "per_page must be from 1 to {MAX_PER_PAGE}, not {other}"
            ))),
        }
    }
}

/// A 201 with `body` and its `Location`, marked with what the write changed.
pub fn created<T>(
    outcome: &crate::actions::Outcome<T>,
    location: &str,
    body: impl serde::Serialize,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(value) = axum::http::HeaderValue::try_from(location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    outcome.changed.mark(response)
}
