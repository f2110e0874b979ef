//! The per-request context: who is logged in and the CSRF token their forms carry.
//!
//! [`resolve`] runs before every page handler. It reads the session cookie (one
//! store read), refuses cross-site writes by their `Sec-Fetch-Site` and `Origin`
//! headers, and gives a visitor who is not logged in a CSRF cookie of their own. A
//! logged-in user's forms carry their session's token instead, which changes at each
//! log-in. Handlers take the result as a [`Ctx`] and check a form's token with
//! [`RequestContext::verify_csrf`].

use super::cookies;
use super::tokens::{constant_time_eq, is_token_shaped, random_token, sha256_hex};
use crate::error::AppError;
use crate::{AppState, SiteConfig};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{HOST, ORIGIN, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ponder_store::User;
use std::sync::Arc;

/// What a handler knows about the request beyond its path and body.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// Where the site is served.
    pub site: Arc<SiteConfig>,
    /// The site settings in force when the request came.
    pub settings: Arc<crate::site_settings::InForce>,
    /// The logged-in user, if any.
    pub viewer: Option<User>,
    /// The token this request's forms must carry.
    pub csrf: String,
    /// The hash of the current session's id, when logged in.
    pub session_hash: Option<String>,
    /// How many of the viewer's inbox items are unread (up to 100).
    pub unread: i64,
}

impl RequestContext {
    /// Refuses a form whose CSRF token is not this request's.
    pub fn verify_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if constant_time_eq(submitted.trim(), &self.csrf) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "This form has expired or did not come from this site. Reload the page and try again."
                    .to_owned(),
            ))
        }
    }

    /// The logged-in user, or a redirect to the log-in page that comes back to `here`.
    pub fn require_user(&self, here: &str) -> Result<&User, AppError> {
        self.viewer.as_ref().ok_or_else(|| AppError::LoginRequired {
            next: here.to_owned(),
        })
    }

    /// The logged-in user if they may write (post, edit, vote, comment, flag): a
    /// visitor is sent to log in; a suspended user is refused with the reason and
    /// the date it ends.
    pub fn require_writer(&self, here: &str) -> Result<&User, AppError> {
        let user = self.require_user(here)?;
        user.as_writer(ponder_core::time::now())?;
        Ok(user)
    }

    /// The logged-in user if they moderate; others are refused (visitors sent to log in).
    pub fn require_moderator(&self, here: &str) -> Result<&User, AppError> {
        let user = self.require_writer(here)?;
        user.actor().require_moderator()?;
        Ok(user)
    }

    /// The viewer as the rules see them; `None` for a visitor.
    pub fn actor(&self) -> Option<ponder_core::rules::Actor> {
        self.viewer.as_ref().map(User::actor)
    }

    /// Whether the viewer is an administrator.
    pub fn is_admin(&self) -> bool {
        self.actor().is_some_and(|a| a.administers())
    }
}

/// The request's [`RequestContext`], as a handler argument.
#[derive(Debug, Clone)]
pub struct Ctx(pub Arc<RequestContext>);

impl std::ops::Deref for Ctx {
    type Target = RequestContext;
    fn deref(&self) -> &RequestContext {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Arc<RequestContext>>()
            .cloned()
            .map(Ctx)
            .ok_or_else(|| {
                AppError::Internal("request context missing: route not behind resolve".into())
            })
    }
}

/// Whether a state-changing request plainly comes from another site. Browsers send
/// `Sec-Fetch-Site`; older ones at least send `Origin`, which must name this host.
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false; // not a browser, or a very old one: the CSRF token still guards
    };
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

/// How stale a session's recorded last use may grow before a request updates it.
pub const TOUCH_EVERY_SECS: i64 = 300;

/// Middleware: builds the [`RequestContext`] and refuses cross-site writes.
pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && is_cross_site(request.headers()) {
        return AppError::Forbidden(
            "Requests from other sites cannot change anything here.".to_owned(),
        )
        .into_response();
    }
    let now = ponder_core::time::now();
    let secure = state.site.secure_cookies();
    let session_cookie = cookies::get(request.headers(), cookies::session_name(secure))
        .filter(|v| is_token_shaped(v))
        .map(sha256_hex);
    let session = match session_cookie {
        Some(hash) => match state.store.session(&hash, now).await {
            Ok(found) => found.map(|s| (hash, s)),
            Err(err) => return AppError::from(err).into_response(),
        },
        None => None,
    };
    let mut new_csrf_cookie = None;
    if let Some((hash, info)) = session.as_ref()
        && now - info.last_seen_at >= TOUCH_EVERY_SECS
    {
        // Noted in the background, at most every few minutes a session: the
        // settings page shows when each was last used, and no request waits for it.
        let store = state.store.clone();
        let hash = hash.clone();
        tokio::spawn(async move {
            if let Err(err) = store.touch_session(&hash, now).await {
                tracing::debug!(%err, "session use not recorded");
            }
        });
    }
    let context = match session {
        Some((hash, info)) => RequestContext {
            site: state.site.clone(),
            settings: state.settings(),
            viewer: Some(info.user),
            csrf: info.csrf_token,
            session_hash: Some(hash),
            unread: info.unread,
        },
        None => {
            let csrf = match cookies::get(request.headers(), cookies::csrf_name(secure))
                .filter(|v| is_token_shaped(v))
            {
                Some(existing) => existing.to_owned(),
                None => {
                    let fresh = random_token();
                    new_csrf_cookie = Some(cookies::set(
                        cookies::csrf_name(secure),
                        &fresh,
                        None,
                        secure,
                    ));
                    fresh
                }
            };
            RequestContext {
                site: state.site.clone(),
                settings: state.settings(),
                viewer: None,
                csrf,
                session_hash: None,
                unread: 0,
            }
        }
    };
    let context = Arc::new(context);
    request.extensions_mut().insert(context.clone());
    let mut response = next.run(request).await;
    // The page cache reads it back to tell a visitor's own page from anyone's.
    response.extensions_mut().insert(context);
    if let Some(cookie) = new_csrf_cookie.and_then(|c| HeaderValue::try_from(c).ok()) {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_detection() {
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "https://ask.example.org"),
            ("host", "ask.example.org")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "ask.example.org")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "ask.example.org")
        ])));
        assert!(
            !is_cross_site(&headers(&[])),
            "no browser headers: the token decides"
        );
    }
}
