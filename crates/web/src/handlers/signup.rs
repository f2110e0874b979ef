//! Sign-up, finished by a mailed link.
//!
//! The form answers the same whether or not an account uses the address, so it
//! cannot be used to find out who has an account: it checks what it can say
//! without looking the address up (the handle, which is public, and the
//! password), hashes the password, answers "check your inbox", and only then, in
//! the background, looks the address up. A new address gets a link that makes
//! the account when opened (on a page with a button, so that a mail scanner that
//! follows links makes nothing); an address with an account gets a note saying
//! so, with a link to choose a new password.

use super::auth::{safe_next, see_other, start_session};
use super::client_ip::{ClientIp, UserAgent};
use super::email::{SignupRequest, TokenParam, mail_account_exists, mail_signup_link, token_of};
use crate::AppState;
use crate::auth::tokens::sha256_hex;
use crate::auth::{Ctx, password};
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::page_cache::nothing_stale;
use crate::views::{AuthPage, Head, Link, notice, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::accounts::{validate_email, validate_handle, validate_password};
use ponder_core::refusal::Refusal;
use ponder_core::time::now;
use ponder_store::StoreError;
use serde::Deserialize;

fn signup_page(ctx: &Ctx, form: FormState, status: StatusCode) -> Response {
    auth_page(
        AuthPage {
            head: Head::new(
                ctx,
                "Sign up",
                "Create an account to ask, answer and comment.",
            ),
            heading: "Create your account",
            action: "/signup",
            mode: "signup",
            form,
        },
        status,
    )
}

fn finish_page(ctx: &Ctx, form: FormState, status: StatusCode) -> Response {
    auth_page(
        AuthPage {
            head: Head::new(
                ctx,
                "Finish signing up",
                "Confirm your handle to finish making your account.",
            ),
            heading: "Finish making your account",
            action: "/signup/finish",
            mode: "finish",
            form,
        },
        status,
    )
}

fn auth_page(page: AuthPage, status: StatusCode) -> Response {
    let mut response = render(&page);
    *response.status_mut() = status;
    response
}

/// What a link that no longer works answers.
fn dead_link(ctx: &Ctx) -> Response {
    notice(
        ctx,
        StatusCode::BAD_REQUEST,
        "This link does not work",
        "The link is wrong, was used already, or has expired. Sign up again to get a new one.",
        Link {
            label: "Sign up".into(),
            url: "/signup".into(),
        },
    )
}

/// Checks the fields of a new account, putting each message beside its field in
/// `form`; the handle and email, trimmed, when all three are good.
pub(super) fn check_account_fields(
    form: &mut FormState,
    handle: &str,
    email: &str,
    password: &str,
) -> Option<(String, String)> {
    let handle = validate_handle(handle)
        .map_err(|m| form.error("handle", m))
        .ok();
    let email = validate_email(email)
        .map_err(|m| form.error("email", m))
        .ok();
    let _ = validate_password(password).map_err(|m| form.error("password", m));
    match (handle, email) {
        (Some(handle), Some(email)) if !form.has_errors() => Some((handle, email)),
        _ => None,
    }
}

/// A page saying why nobody can sign up here now.
fn refusal_page(ctx: &Ctx, heading: &str, message: &str) -> Response {
    notice(
        ctx,
        StatusCode::FORBIDDEN,
        heading,
        message,
        Link {
            label: "Go to the home page".into(),
            url: "/".into(),
        },
    )
}

/// Whether a sign-up may go ahead under the site's registration mode: open, it
/// may (`Ok(None)`); by invitation, only with a working invitation (`Ok(Some)`,
/// its hash); closed, never. `Err` is the page that says why not.
async fn admission(
    state: &AppState,
    ctx: &Ctx,
    invite: &str,
) -> Result<Result<Option<String>, Response>, AppError> {
    match ctx.settings.settings.registration() {
        "open" => Ok(Ok(None)),
        "invitation" => {
            let token = invite.trim();
            if token.is_empty() {
                return Ok(Err(refusal_page(
                    ctx,
                    "Sign-up is by invitation",
                    "Joining this site takes an invitation link. Ask the people who run it, or a member, for one.",
                )));
            }
            let hash = sha256_hex(token);
            let works = crate::auth::tokens::is_token_shaped(token)
                && state
                    .store
                    .invitation(&hash)
                    .await?
                    .is_some_and(|i| i.works_at(now()));
            if works {
                Ok(Ok(Some(hash)))
            } else {
                Ok(Err(refusal_page(
                    ctx,
                    "This invitation does not work",
                    &Refusal::InvitationNotValid.to_string(),
                )))
            }
        }
        _ => Ok(Err(refusal_page(
            ctx,
            "Sign-up is closed",
            "This site is not taking new members at the moment.",
        ))),
    }
}

/// The message beside the email field when the site takes only some domains.
fn domain_refusal(ctx: &Ctx, email: &str) -> Option<String> {
    let settings = &ctx.settings.settings;
    (!settings.email_allowed(email)).then(|| {
        format!(
            "this site takes addresses at {} only",
            settings.get("registration.email_domains")
        )
    })
}

/// `?next=&invite=` of the sign-up form.
#[derive(Debug, Default, Deserialize)]
pub struct SignupParams {
    next: Option<String>,
    invite: Option<String>,
}

/// `GET /signup[?invite=]`.
pub async fn signup_form(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<SignupParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let params = query.map(|q| q.0).unwrap_or_default();
    let next = safe_next(params.next.as_deref());
    if ctx.viewer.is_some() {
        return Ok(see_other(&next, None));
    }
    let invite = params.invite.unwrap_or_default();
    if let Err(refusal) = admission(&state, &ctx, &invite).await? {
        return Ok(refusal);
    }
    let form = FormState::new()
        .with("next", next)
        .with("invite", invite.trim());
    Ok(signup_page(&ctx, form, StatusCode::OK))
}

/// The sign-up form as posted. Every field defaults to empty, so a missing field
/// gets the same message as an empty one.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    csrf: String,
    handle: String,
    email: String,
    password: String,
    next: String,
    invite: String,
}

/// `POST /signup`: checks the form and answers "check your inbox"; the address is
/// looked up and mailed after the answer has gone.
pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    form: CsrfForm<SignupForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let invitation_hash = match admission(&state, &ctx, &input.invite).await? {
        Ok(hash) => hash,
        Err(refusal) => return Ok(refusal),
    };
    let limits = state.limits();
    limits.check_signup(&ip)?;
    limits.check_signup_everywhere(&*state.store, &ip).await?;
    let next = safe_next(Some(&input.next));
    let mut form = FormState::new()
        .with("handle", input.handle.trim())
        .with("email", input.email.trim())
        .with("next", next.clone())
        .with("invite", input.invite.trim());
    let Some((handle, email)) =
        check_account_fields(&mut form, &input.handle, &input.email, &input.password)
    else {
        return Ok(signup_page(&ctx, form, StatusCode::UNPROCESSABLE_ENTITY));
    };
    if let Some(message) = domain_refusal(&ctx, &email) {
        form.error("email", message);
        return Ok(signup_page(&ctx, form, StatusCode::UNPROCESSABLE_ENTITY));
    }
    // Handles are public (every profile shows one), so saying one is taken tells
    // nothing that a profile page does not.
    if state.store.login_record(&handle).await?.is_some() {
        form.error("handle", "that handle is taken; choose another");
        return Ok(signup_page(&ctx, form, StatusCode::CONFLICT));
    }
    let password_hash = password::hash(input.password).await?;
    tokio::spawn(mail_signup(
        state.clone(),
        SignupRequest {
            handle,
            email: email.clone(),
            password_hash,
            next_path: next,
            invitation_hash,
        },
    ));
    Ok(nothing_stale(notice(
        &ctx,
        StatusCode::OK,
        "Check your inbox",
        &format!(
            "We sent a link to {email}. Open it within 3 days to finish making your account. Nothing there after a few minutes? Look in your spam folder, or sign up again."
        ),
        Link {
            label: "Go to the home page".into(),
            url: "/".into(),
        },
    )))
}

/// Mails a sign-up's link, or, if an account uses its address, a note to the
/// account's owner; runs after the form is answered, so failures go to the log.
async fn mail_signup(state: AppState, request: SignupRequest) {
    let outcome = async {
        let owner = state.store.login_record(&request.email).await?;
        match owner {
            Some(record) => mail_account_exists(&state, record.user.id, &request.email).await,
            None => mail_signup_link(&state, request).await,
        }
    };
    if let Err(err) = outcome.await {
        tracing::warn!(%err, "sign-up mail not sent");
    }
}

/// `GET /signup/finish?token=`: the button that makes the account, with the
/// handle asked for, which can still be changed.
pub async fn finish_form(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<TokenParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let Some(token) = token_of(query) else {
        return Ok(dead_link(&ctx));
    };
    let Some(pending) = state
        .store
        .pending_signup(&sha256_hex(&token), now())
        .await?
    else {
        return Ok(dead_link(&ctx));
    };
    let form = FormState::new()
        .with("token", token)
        .with("handle", pending.handle)
        .with("email", pending.email)
        .with("next", pending.next_path);
    Ok(finish_page(&ctx, form, StatusCode::OK))
}

/// The finishing form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FinishForm {
    csrf: String,
    token: String,
    handle: String,
}

/// `POST /signup/finish`: makes the account, logs it in and goes where the
/// sign-up started.
pub async fn finish(
    State(state): State<AppState>,
    ctx: Ctx,
    UserAgent(agent): UserAgent,
    form: CsrfForm<FinishForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let token = input.token.trim();
    if !crate::auth::tokens::is_token_shaped(token) {
        return Ok(dead_link(&ctx));
    }
    let token_hash = sha256_hex(token);
    let Some(pending) = state.store.pending_signup(&token_hash, now()).await? else {
        return Ok(dead_link(&ctx));
    };
    // Registration may have closed, or become by invitation, since the link went.
    match ctx.settings.settings.registration() {
        "closed" => {
            return Ok(refusal_page(
                &ctx,
                "Sign-up is closed",
                "This site is not taking new members at the moment.",
            ));
        }
        "invitation" if !pending.invited => {
            return Ok(refusal_page(
                &ctx,
                "Sign-up is by invitation",
                "Joining this site now takes an invitation link. Ask the people who run it, or a member, for one.",
            ));
        }
        _ => {}
    }
    // The domains may have changed since the link was sent.
    if let Some(message) = domain_refusal(&ctx, &pending.email) {
        return Ok(notice(
            &ctx,
            StatusCode::FORBIDDEN,
            "This address cannot sign up",
            &format!("{}.", capitalised(&message)),
            Link {
                label: "Go to the home page".into(),
                url: "/".into(),
            },
        ));
    }
    let mut form = FormState::new()
        .with("token", token)
        .with("handle", input.handle.trim())
        .with("email", pending.email.clone())
        .with("next", pending.next_path.clone());
    let handle = match validate_handle(&input.handle) {
        Ok(handle) => handle,
        Err(message) => {
            form.error("handle", message);
            return Ok(finish_page(&ctx, form, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let user = match state.store.finish_signup(&token_hash, &handle, now()).await {
        Ok(Some(user)) => user,
        Ok(None) => return Ok(dead_link(&ctx)),
        Err(StoreError::Conflict { constraint }) if constraint.contains("email") => {
            // Whoever opened the link reads the mailbox: they may know.
            return Ok(notice(
                &ctx,
                StatusCode::CONFLICT,
                "You have an account already",
                "An account was made with this address meanwhile. Log in with it instead.",
                Link {
                    label: "Log in".into(),
                    url: "/login".into(),
                },
            ));
        }
        Err(StoreError::Conflict { .. }) => {
            form.error("handle", "that handle was taken meanwhile; choose another");
            return Ok(finish_page(&ctx, form, StatusCode::CONFLICT));
        }
        Err(StoreError::Refused(refusal @ Refusal::InvitationNotValid)) => {
            return Ok(notice(
                &ctx,
                StatusCode::CONFLICT,
                "This invitation no longer works",
                &refusal.to_string(),
                Link {
                    label: "Go to the home page".into(),
                    url: "/".into(),
                },
            ));
        }
        Err(other) => return Err(other.into()),
    };
    state.note_member_joined();
    let cookie = start_session(&state, user.id, ctx.session_hash.as_deref(), &agent).await?;
    Ok(see_other(
        &safe_next(Some(&pending.next_path)),
        Some(cookie),
    ))
}

/// `message` with its first letter a capital.
fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

crate::extract::has_csrf!(FinishForm, SignupForm);
