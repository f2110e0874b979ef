//! The per-request context: who is logged in and the CSRF token their forms carry.
//!
//! [`resolve`] runs before every page handler. It reads the session cookie (one
//! store read), refuses cross-site writes by their `Sec-Fetch-Site` and `Origin`
//! headers, and gives a visitor who is not logged in a CSRF cookie of their own. A
//! logged-in user's forms carry their session's token instead, which changes at each
//! log-in. A request with `Authorization: Bearer` is its API token's member's
//! instead (no cookie is read or set); a write token's forms need no CSRF token, and
//! a read-only token writes nothing. Handlers take the result as a [`Ctx`] and check a form's token with
//! [`RequestContext::verify_csrf`].

use super::cookies;
use super::tokens::{constant_time_eq, is_token_shaped, random_token, sha256_hex};
use crate::error::AppError;
use crate::{AppState, SiteConfig};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, HOST, ORIGIN, RETRY_AFTER, SET_COOKIE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ponder_core::api_tokens::{TOKEN_PREFIX, TokenScope};
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
    /// The scope of the API token the request came with, if it came with one
    /// instead of a session (a write token's forms need no CSRF token).
    pub token: Option<TokenScope>,
}

impl RequestContext {
    /// Refuses a form whose CSRF token is not this request's.
    pub fn verify_csrf(&self, submitted: &str) -> Result<(), AppError> {
        // A token is not a cookie: no other site can make a browser send it.
        if self.token == Some(TokenScope::Write) || constant_time_eq(submitted.trim(), &self.csrf) {
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

/// Whether `path` is one of the account's own pages, which only a logged-in
/// session may use: a leaked token must not change the password, make tokens or
/// delete the account.
fn is_account_path(path: &str) -> bool {
    const ACCOUNT: [&str; 8] = [
        "/settings",
        "/login",
        "/logout",
        "/signup",
        "/setup",
        "/reset-password",
        "/verify-email",
        "/invitations",
    ];
    ACCOUNT.iter().any(|p| {
        path == *p
            || path
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// An API error answered before any handler runs: JSON in the API's shape.
fn api_refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
    }
    response
}

/// The context of a request that came with `Authorization: Bearer <token>`: the
/// token's member, if the token works; 401 if it does not (malformed, unknown,
/// expired or revoked, all alike); 403 for a write with a read-only token.
async fn token_context(
    state: &AppState,
    authorization: &HeaderValue,
    unsafe_method: bool,
    now: i64,
) -> Result<RequestContext, Response> {
    let invalid = || {
        api_refusal(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "This token does not work: it may be mistyped, expired or revoked. Make a new one in your settings.",
        )
    };
    let token = authorization
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .and_then(|(_, token)| token.trim().strip_prefix(TOKEN_PREFIX))
        .filter(|t| is_token_shaped(t))
        .ok_or_else(invalid)?;
    let found = state
        .store
        .api_token(&sha256_hex(token), now)
        .await
        .map_err(|err| AppError::from(err).into_response())?;
    let ponder_store::TokenGrant {
        token,
        user,
        unread,
    } = found.ok_or_else(invalid)?;
    if let Err(AppError::RateLimited { retry_after_secs }) =
        state.limits().check_api_token(token.id)
    {
        let mut refused = api_refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "This token has made too many requests; wait and try again.",
        );
        if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            refused.headers_mut().insert(RETRY_AFTER, value);
        }
        return Err(refused);
    }
    if unsafe_method && token.scope == TokenScope::Read {
        return Err(api_refusal(
            StatusCode::FORBIDDEN,
            "token_read_only",
            "This token may only read; make one that may write for this.",
        ));
    }
    if token
        .last_used_at
        .is_none_or(|at| now - at >= TOUCH_EVERY_SECS)
    {
        let store = state.store.clone();
        tokio::spawn(async move {
            if let Err(err) = store.touch_api_token(token.id, now).await {
                tracing::debug!(%err, "token use not recorded");
            }
        });
    }
    Ok(RequestContext {
        site: state.site.clone(),
        settings: state.settings(),
        viewer: Some(user),
        // Never sent to anyone: a token's requests carry no form token.
        csrf: random_token(),
        session_hash: None,
        unread,
        token: Some(token.scope),
    })
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
    if let Some(authorization) = request.headers().get(AUTHORIZATION).cloned() {
        if is_account_path(request.uri().path()) {
            return api_refusal(
                StatusCode::FORBIDDEN,
                "token_not_allowed",
                "A token cannot use the account's own pages (settings, tokens, password, log-in); log in for those.",
            );
        }
        let context = match token_context(&state, &authorization, unsafe_method, now).await {
            Ok(context) => Arc::new(context),
            Err(refused) => return refused,
        };
        request.extensions_mut().insert(context.clone());
        let mut response = next.run(request).await;
        response.extensions_mut().insert(context);
        return response;
    }
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
            token: None,
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
                token: None,
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
    fn account_pages_are_for_sessions_only() {
        for path in [
            "/settings",
            "/settings/tokens",
            "/logout",
            "/login",
            "/invitations/3/revoke",
        ] {
            assert!(is_account_path(path), "{path}");
        }
        for path in [
            "/",
            "/settingsx",
            "/questions/1/x",
            "/inbox",
            "/users/1/settings",
        ] {
            assert!(!is_account_path(path), "{path}");
        }
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
