//! `/unsubscribe?token=`: the one-click unsubscribe link of the inbox's mail
//! (RFC 8058). A `POST` to it turns that kind of mail off for its recipient, with
//! no log-in and no form token (the link's token is the credential, and mail
//! providers post it from their servers); a `GET`, as a person's click, asks first.
//! A link that was tampered with or mistyped is not found; an old one has expired.
//! It sits outside the session layer: nothing here depends on who is logged in.

use crate::AppState;
use crate::auth::tokens::{is_token_shaped, sha256_hex};
use crate::page_cache::nothing_stale;
use crate::views::{Head, Link, NoticePage, UnsubscribePage, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ponder_core::notices::MailKind;
use ponder_store::Unsubscribed;
use serde::Deserialize;

/// `?token=`.
#[derive(Debug, Default, Deserialize)]
pub struct TokenParam {
    token: Option<String>,
}

/// A plain page with a heading, a message and a way on, answered with `status`.
fn notice(state: &AppState, status: StatusCode, heading: &str, message: &str) -> Response {
    let mut response = render(&NoticePage {
        head: Head::bare(state.settings().name(), heading, message),
        heading: heading.to_owned(),
        message: message.to_owned(),
        back: Link {
            label: "Choose the mail you get in your settings".into(),
            url: "/settings#mail".into(),
        },
    });
    *response.status_mut() = status;
    response
}

/// The link's token, if it has the shape of one.
fn token_of(query: Result<Query<TokenParam>, QueryRejection>) -> Option<String> {
    query
        .ok()
        .and_then(|q| q.0.token)
        .filter(|t| is_token_shaped(t))
}

/// The answer for a link that is not one of ours.
fn unknown(state: &AppState) -> Response {
    notice(
        state,
        StatusCode::NOT_FOUND,
        "This link does not work",
        "It may have been cut short or changed on the way. The settings page turns any kind of mail off.",
    )
}

/// `GET /unsubscribe?token=`: asks before turning the mail off (a link followed by
/// a mail scanner must not unsubscribe anyone).
pub async fn confirm(
    State(state): State<AppState>,
    query: Result<Query<TokenParam>, QueryRejection>,
) -> Response {
    let Some(token) = token_of(query) else {
        return unknown(&state);
    };
    render(&UnsubscribePage {
        head: Head::bare(
            state.settings().name(),
            "Unsubscribe",
            "Stop this kind of mail.",
        ),
        token,
    })
}

/// `POST /unsubscribe?token=`: turns that kind of mail off.
pub async fn unsubscribe(
    State(state): State<AppState>,
    query: Result<Query<TokenParam>, QueryRejection>,
) -> Response {
    let Some(token) = token_of(query) else {
        return unknown(&state);
    };
    let done = state
        .store
        .unsubscribe(&sha256_hex(&token), ponder_core::time::now())
        .await;
    let response = match done {
        Ok(Unsubscribed::Done { kind, .. }) => notice(
            &state,
            StatusCode::OK,
            "Unsubscribed",
            match kind {
                MailKind::Direct => {
                    "You will get no more mail when you are answered or mentioned. Other mail, and your inbox on the site, stay as they were."
                }
                MailKind::Digest => {
                    "You will get no more digests. Other mail, and your inbox on the site, stay as they were."
                }
            },
        ),
        Ok(Unsubscribed::Expired) => notice(
            &state,
            StatusCode::GONE,
            "This link has expired",
            "Unsubscribe links work for 90 days. The settings page turns any kind of mail off.",
        ),
        Ok(Unsubscribed::Unknown) => unknown(&state),
        Err(err) => crate::error::AppError::from(err).into_response(),
    };
    nothing_stale(response)
}
