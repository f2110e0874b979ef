//! Redirects: 303 after a form, 301 to a canonical address.

use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A 303 to `location`, optionally setting a cookie.
pub fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, location.to_owned())]).into_response();
    if let Some(value) = cookie.and_then(|c| HeaderValue::try_from(c).ok()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// A 301 to `location` (the home page if it cannot be a header).
pub fn moved_permanently(location: &str) -> Response {
    let value = HeaderValue::try_from(location).unwrap_or_else(|_| HeaderValue::from_static("/"));
    (StatusCode::MOVED_PERMANENTLY, [(LOCATION, value)]).into_response()
}
