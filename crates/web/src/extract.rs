//! Typed extractors, so that handlers open with what they need instead of the
//! same three lines each: [`Id`] parses a URL's id segment; [`CsrfForm`] reads a
//! form and, when the handler is ready for it (after sending a visitor to log in,
//! say), checks its CSRF token against the session's.

use crate::auth::RequestContext;
use crate::error::{AppError, form_error, unreadable_form};
use crate::handlers::parse_id;
use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use ponder_core::{CategoryId, CommentId, PostId, UserId};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// An id a URL names, and what it is called in the message for a bad one.
pub trait UrlId: Sized {
    /// What it is called ("post", "user").
    const WHAT: &'static str;
    /// The id from its number.
    fn from_number(id: i64) -> Self;
}

impl UrlId for PostId {
    const WHAT: &'static str = "post";
    fn from_number(id: i64) -> Self {
        Self(id)
    }
}

impl UrlId for CommentId {
    const WHAT: &'static str = "comment";
    fn from_number(id: i64) -> Self {
        Self(id)
    }
}

impl UrlId for UserId {
    const WHAT: &'static str = "user";
    fn from_number(id: i64) -> Self {
        Self(id)
    }
}

impl UrlId for CategoryId {
    const WHAT: &'static str = "category";
    fn from_number(id: i64) -> Self {
        Self(id)
    }
}

/// The id in a route's one path segment (`/posts/{id}/vote`); anything but a
/// positive whole number is a 404.
#[derive(Debug, Clone, Copy)]
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: UrlId> FromRequestParts<S> for Id<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound("There is no page at this address.".into()))?;
        Ok(Self(T::from_number(parse_id(&raw, T::WHAT)?)))
    }
}

/// A form that carries the session's CSRF token in a field named `csrf`.
pub trait HasCsrf {
    /// The token as submitted.
    fn csrf(&self) -> &str;
}

/// Implements [`HasCsrf`] for form structs with a `csrf: String` field.
macro_rules! has_csrf {
    ($($form:ty),+ $(,)?) => {
        $(impl $crate::extract::HasCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use has_csrf;

/// A posted form, read but not yet trusted: [`CsrfForm::checked`] gives it once
/// its token is the session's. Reading never rejects the request by itself, so a
/// handler sends a visitor to log in before it says that a form was unreadable.
pub struct CsrfForm<T> {
    form: Result<T, AppError>,
    context: Option<Arc<RequestContext>>,
}

impl<T: HasCsrf> CsrfForm<T> {
    /// The form, if it could be read and its token is this session's (403 if not).
    pub fn checked(self) -> Result<T, AppError> {
        let input = self.form?;
        let context = self.context.ok_or_else(|| {
            AppError::Internal("request context missing: route not behind resolve".into())
        })?;
        context.verify_csrf(input.csrf())?;
        Ok(input)
    }
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for CsrfForm<T> {
    type Rejection = std::convert::Infallible;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let context = request.extensions().get::<Arc<RequestContext>>().cloned();
        let (parts, body) = request.into_parts();
        let read = Request::from_parts(parts.clone(), body);
        // Read within the route's body limit, checked by the characters' rule, then
        // parsed as the form it is.
        let form = match axum::body::Bytes::from_request(read, state).await {
            Err(rejection) => Err(unreadable_form(rejection.status(), &rejection.body_text())),
            Ok(bytes) => match crate::input_guard::check_form(&bytes) {
                Err(refused) => Err(refused),
                Ok(()) => Form::<T>::from_request(
                    Request::from_parts(parts, axum::body::Body::from(bytes)),
                    state,
                )
                .await
                .map(|Form(input)| input)
                .map_err(form_error),
            },
        };
        Ok(Self { form, context })
    }
}
