//! Log-in, log-out and the sessions they start (sign-up is in `signup`).
//!
//! A wrong password and an unknown account get the same message and take the same
//! time. A log-in starts a new session (a new id, so a session fixed by an attacker
//! before log-in is worthless) and ends the one the browser had.

use super::client_ip::{ClientIp, UserAgent};
use crate::AppState;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::auth::{Ctx, cookies, password};
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::page_cache::nothing_stale;
pub use crate::redirect::see_other;
use crate::views::{AuthPage, Head, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::UserId;
use ponder_core::input::{Lines, check_characters};
use ponder_store::NewSession;
use serde::Deserialize;

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 30 * 86_400;

/// The query string of the log-in and sign-up pages: where to go back to.
#[derive(Debug, Default, Deserialize)]
pub struct NextParam {
    next: Option<String>,
    reset: Option<String>,
}

/// A local path to return to, or the home page: only a path on this site is
/// followed, so `next` cannot send a reader elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Where the page's `next` parameter says to go back to, made safe.
pub fn next_of(query: &Result<Query<NextParam>, QueryRejection>) -> String {
    safe_next(query.as_ref().ok().and_then(|q| q.next.as_deref()))
}

/// Starts a session for `user`, ending `previous` if there was one; returns the
/// `Set-Cookie` value.
pub async fn start_session(
    state: &AppState,
    user: UserId,
    previous: Option<&str>,
    user_agent: &str,
) -> Result<String, AppError> {
    if let Some(old) = previous {
        state.store.delete_session(old).await?;
    }
    let id = random_token();
    let now = ponder_core::time::now();
    state
        .store
        .create_session(NewSession {
            id_hash: sha256_hex(&id),
            user,
            csrf_token: random_token(),
            created_at: now,
            expires_at: now + SESSION_SECONDS,
            user_agent: user_agent.to_owned(),
        })
        .await?;
    Ok(cookies::set(
        cookies::session_name(state.site.secure_cookies()),
        &id,
        Some(SESSION_SECONDS),
        state.site.secure_cookies(),
    ))
}

fn login_page(ctx: &Ctx, form: FormState, status: StatusCode) -> Response {
    let page = AuthPage {
        head: Head::new(ctx, "Log in", "Log in to ask, answer and comment."),
        heading: "Log in",
        action: "/login",
        mode: "login",
        form,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    response
}

/// `GET /login`.
pub async fn login_form(ctx: Ctx, query: Result<Query<NextParam>, QueryRejection>) -> Response {
    let next = next_of(&query);
    if ctx.viewer.is_some() {
        return see_other(&next, None);
    }
    let mut form = FormState::new().with("next", next);
    if query.as_ref().ok().and_then(|q| q.reset.as_deref()) == Some("done") {
        form.success = Some("Your password was changed. Log in with the new one.".into());
    }
    login_page(&ctx, form, StatusCode::OK)
}

/// The log-in form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    login: String,
    password: String,
    next: String,
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    UserAgent(agent): UserAgent,
    form: CsrfForm<LoginForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let next = safe_next(Some(&input.next));
    let mut form = FormState::new()
        .with("login", input.login.trim())
        .with("next", next.clone());
    if input.login.trim().is_empty() {
        form.error("login", "enter your handle or email");
    } else if let Err(message) = check_characters(input.login.trim(), Lines::One) {
        form.error("login", message);
    }
    if input.password.is_empty() {
        form.error("password", "enter your password");
    }
    if form.has_errors() {
        return Ok(login_page(&ctx, form, StatusCode::UNPROCESSABLE_ENTITY));
    }
    state.limits().check_login_ip(&ip)?;
    let record = if input.login.chars().count() <= 254 {
        state.store.login_record(&input.login).await?
    } else {
        None
    };
    let account = record.as_ref().map_or_else(
        || format!("name:{}", input.login.trim().to_lowercase()),
        |r| format!("user:{}", r.user.id),
    );
    let limits = state.limits();
    limits.check_login_account(&account, &ip)?;
    limits
        .check_login_everywhere(&*state.store, &account, &ip)
        .await?;
    let hash = record.as_ref().and_then(|r| r.password_hash.clone());
    let stale = hash.as_deref().is_some_and(password::needs_rehash);
    let matches = password::verify(input.password.clone(), hash).await?;
    let Some(record) = record.filter(|_| matches) else {
        crate::metrics::metrics().login_failed();
        form.general =
            Some("That handle or email and password do not match an account.".to_owned());
        return Ok(login_page(&ctx, form, StatusCode::UNAUTHORIZED));
    };
    if stale {
        rehash(&state, record.user.id, input.password).await;
    }
    let cookie = start_session(&state, record.user.id, ctx.session_hash.as_deref(), &agent).await?;
    Ok(nothing_stale(see_other(&next, Some(cookie))))
}

/// Stores a new hash, made with today's settings, of the password that just matched
/// a hash made with older ones. The log-in goes on if this fails: the old hash
/// still works.
async fn rehash(state: &AppState, user: UserId, typed: String) {
    let renewed = match password::hash(typed).await {
        Ok(hash) => state
            .store
            .set_password_hash(user, &hash)
            .await
            .err()
            .map(|e| e.to_string()),
        Err(e) => Some(e.to_string()),
    };
    if let Some(error) = renewed {
        tracing::warn!(user = user.0, "the password hash was not renewed: {error}");
    }
}

/// The log-out form: only its token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /logout`: ends the session and removes its cookie.
pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    form.checked()?;
    if let Some(hash) = ctx.session_hash.as_deref() {
        state.store.delete_session(hash).await?;
    }
    Ok(nothing_stale(see_other(
        "/",
        Some(cookies::clear(
            cookies::session_name(state.site.secure_cookies()),
            state.site.secure_cookies(),
        )),
    )))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_the_site() {
        assert_eq!(
            safe_next(Some("/questions/1/x#answer-2")),
            "/questions/1/x#answer-2"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(safe_next(None), "/");
    }
}

crate::extract::has_csrf!(CsrfOnly, LoginForm);
