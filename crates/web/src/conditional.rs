//! Conditional GETs for pages: each HTML page answered 200 gets a weak ETag (a hash
//! of its bytes, weak because compression may send other bytes) and `Cache-Control: no-cache`, so browsers keep it and ask
//! again with `If-None-Match`; a page unchanged since answers 304 with no body. A
//! write changes the page's bytes, so it is seen on the very next request.
//!
//! Pages that set a cookie are left alone (a 304 would not hand the cookie over
//! reliably), as are other statuses and non-HTML responses.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Adds ETags to pages and answers 304 when the browser's copy is current.
pub async fn etag_pages(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let asked = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !is_plain_page(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Pages are rendered whole before they are sent, so reading them back costs a copy.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag_of(&bytes);
    let headers = &mut parts.headers;
    headers.insert(header::ETAG, etag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    if asked.as_ref().is_some_and(|a| matches(a, &etag)) {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        copy_validators(&parts.headers, not_modified.headers_mut());
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A 200 page (HTML or the API's JSON) that sets no cookie and has no validator
/// or caching rule of its own (a download marked `no-store` stays so).
fn is_plain_page(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::ETAG)
        && !headers.contains_key(header::CACHE_CONTROL)
        && is_page_type(headers)
}

/// Whether a response is a page: HTML, or the API's JSON (validated and cached
/// alike).
pub(crate) fn is_page_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"))
}

/// A weak ETag for a page's bytes: weak, because compression outside this layer
/// sends other bytes of the same page.
pub(crate) fn etag_of(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    let hex = ponder_core::text::hex(&digest[..16]);
    HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"\""))
}

/// Whether an If-None-Match value names `etag` (or is `*`).
pub(crate) fn matches(asked: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(asked) = asked.to_str() else {
        return false;
    };
    // Weak comparison (RFC 9110): the opaque tags match, W/ or not.
    let etag = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    asked
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}

/// The headers a 304 repeats from the full response.
pub(crate) fn copy_validators(from: &HeaderMap, to: &mut HeaderMap) {
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
        for value in from.get_all(&name) {
            to.append(name.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_forms_match() {
        let etag = HeaderValue::from_static("W/\"abc\"");
        for yes in ["\"abc\"", "\"x\", \"abc\"", "W/\"abc\"", "*"] {
            assert!(matches(&HeaderValue::from_static(yes), &etag), "{yes}");
        }
        for no in ["\"abcd\"", "abc", ""] {
            assert!(!matches(&HeaderValue::from_static(no), &etag), "{no}");
        }
    }
}
