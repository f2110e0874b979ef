//! Cross-origin reads: a script on another site may read the JSON API, the Stack
//! Exchange read subset and the Atom feeds anonymously (`Access-Control-Allow-Origin: *` on a GET that carries
//! no cookie and no token), and nothing else. A preflight is answered for GET
//! alone and allows no request header, so a browser never sends a token or a
//! write across origins; with `*` it sends no cookie either.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether `path` is one whose anonymous reads other sites may make.
fn is_shared(path: &str) -> bool {
    ["/api/", "/feeds/", "/2.3/", "/2.2/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// Middleware: the CORS headers of shared paths.
pub async fn anonymous_reads(request: Request, next: Next) -> Response {
    if !is_shared(request.uri().path()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    if request.method() == Method::OPTIONS {
        let asks_get = headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|m| m.as_bytes() == b"GET" || m.as_bytes() == b"HEAD");
        let asks_headers = headers.contains_key(header::ACCESS_CONTROL_REQUEST_HEADERS);
        let mut response = StatusCode::NO_CONTENT.into_response();
        if asks_get && !asks_headers {
            let out = response.headers_mut();
            out.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
            out.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, HEAD"),
            );
            out.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        return response;
    }
    let anonymous = matches!(*request.method(), Method::GET | Method::HEAD)
        && !headers.contains_key(header::COOKIE)
        && !headers.contains_key(header::AUTHORIZATION);
    let mut response = next.run(request).await;
    if anonymous {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_api_and_the_feeds_are_shared() {
        for path in [
            "/api/v1/questions/similar",
            "/feeds/questions",
            "/api/v1/x",
            "/2.3/questions",
            "/2.2/info",
            "/api/2.3/tags",
        ] {
            assert!(is_shared(path), "{path}");
        }
        for path in [
            "/",
            "/api",
            "/feeds",
            "/questions/1/x",
            "/settings",
            "/apix/",
            "/2.3",
            "/2.4/questions",
        ] {
            assert!(!is_shared(path), "{path}");
        }
    }
}
