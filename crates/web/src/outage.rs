//! What a writer gets while the database is away: the form they sent comes back
//! on the 503 page, so that nothing typed is lost.
//!
//! A handler that cannot reach the database answers [`AppError::Unavailable`]
//! wherever it was, often before it could render its form again (which needs the
//! database too). [`keep_form`] holds a copy of each form body it lets through
//! and, when the answer is that 503, shows the writing fields of the form
//! (title, body, tags, comment...) read-only on the page, never the passwords.
//! The page cache does the same for readers with the pages it kept
//! (stale-if-error, in [`crate::page_cache`]).

use crate::error::{AppError, is_unavailable};
use crate::input_guard::{CHECKED_FIELDS, form_fields};
use crate::views::{ErrorPage, KeptField, render};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Fields never shown back: they hold secrets.
const SECRET_FIELDS: &[&str] = &["password", "current_password", "new_password"];

/// Middleware: form posts (up to `limit` bytes, form-encoded) answered 503
/// because the database is away come back with what was typed in them.
pub async fn keep_form(limit: usize, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !is_small_form(&request, limit) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The length was declared and is within the limit: reading it whole is bounded.
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return AppError::BadRequest(
            "The form could not be read whole. Reload the page and try again.".into(),
        )
        .into_response();
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    if !is_unavailable(&response) {
        return response;
    }
    let kept = kept_fields(&String::from_utf8_lossy(&bytes));
    if kept.is_empty() {
        return response;
    }
    let (parts, _) = response.into_parts();
    let page = ErrorPage::new(
        parts.status.as_u16(),
        "The site is having trouble",
        crate::error::UNAVAILABLE_MESSAGE.to_owned(),
    )
    .with_kept(kept);
    let (_, body) = render(&page).into_response().into_parts();
    // The status, Retry-After and what the JSON layer reads stay the error's.
    Response::from_parts(parts, body)
}

/// Whether the request is a form-encoded body known to be no longer than `limit`
/// (by its declared length: a body sent in chunks of unknown length is not held).
fn is_small_form(request: &Request, limit: usize) -> bool {
    use axum::body::HttpBody;
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let length = request.body().size_hint().upper();
    form && length.is_some_and(|n| n <= limit as u64)
}

/// The writing fields of `body` that hold something, labelled, in the form's order.
fn kept_fields(body: &str) -> Vec<KeptField> {
    form_fields(body)
        .into_iter()
        .filter(|(name, value)| {
            CHECKED_FIELDS.contains(&name.as_str())
                && !SECRET_FIELDS.contains(&name.as_str())
                && !value.trim().is_empty()
        })
        .map(|(name, value)| KeptField {
            label: label_of(&name),
            rows: value.lines().count().clamp(1, 20),
            value: ponder_core::input::shown_safely(&value, ponder_core::input::Lines::Many)
                .into_owned(),
        })
        .collect()
}

/// A field's name as a label: `display_name` is "Display name".
fn label_of(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_fields_are_kept_and_secrets_and_tokens_are_not() {
        let kept = kept_fields(
            "csrf=abc&title=Why+%C3%A9%3F&body=line+one%0D%0Aline+two&tags=&password=hunter2&sort=new",
        );
        let shown: Vec<(&str, &str, usize)> = kept
            .iter()
            .map(|k| (k.label.as_str(), k.value.as_str(), k.rows))
            .collect();
        assert_eq!(
            shown,
            [("Title", "Why é?", 1), ("Body", "line one\r\nline two", 2)]
        );
        assert_eq!(label_of("display_name"), "Display name");
        assert_eq!(label_of(""), "");
    }

    #[test]
    fn only_small_form_bodies_of_known_length_are_held() {
        let request = |content_type: &str, body: Body| {
            Request::post("/x")
                .header(header::CONTENT_TYPE, content_type)
                .body(body)
                .unwrap()
        };
        let form = "application/x-www-form-urlencoded";
        assert!(is_small_form(
            &request(form, Body::from("a".repeat(100))),
            100
        ));
        assert!(!is_small_form(
            &request(form, Body::from("a".repeat(101))),
            100
        ));
        let chunks = chunked_body();
        assert!(!is_small_form(&request(form, chunks), 100));
        assert!(!is_small_form(
            &request("multipart/form-data; boundary=x", Body::from("a")),
            100
        ));
    }

    /// A body of unknown length, as one sent in chunks arrives.
    fn chunked_body() -> Body {
        Body::new(UnknownLength)
    }

    struct UnknownLength;

    impl axum::body::HttpBody for UnknownLength {
        type Data = axum::body::Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Ready(None)
        }
    }
}
