//! Claiming imported accounts. An import makes its members' accounts without
//! passwords; the owner of one claims it through a single-use link mailed to an
//! address. An administrator gives the account that address and sends the link
//! (`/admin/users/{id}/claim`); later the owner can ask for a new link by that
//! address at `/claim` (answered the same whether or not an account waits for
//! it, as the password reset is, and the password reset itself sends a claim
//! link for such an account). Following the link, the owner chooses a password
//! and is logged in; the account keeps its reputation, badges and posts, and its
//! address counts as confirmed.

use super::admin::require_admin;
use super::auth::start_session;
use super::client_ip::{ClientIp, UserAgent};
use super::email::{CLAIM, TokenParam, ask_for_link, mail_token, token_of};
use crate::AppState;
use crate::auth::tokens::{is_token_shaped, sha256_hex};
use crate::auth::{Ctx, password};
use crate::error::AppError;
use crate::extract::{CsrfForm, Id};
use crate::forms::{FormState, query_encode};
use crate::page_cache::{Changed, nothing_stale};
use crate::redirect::see_other;
use crate::views::{AdminClaimPage, ClaimPage, Head, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::UserId;
use ponder_core::accounts::{validate_email, validate_password};
use ponder_core::time::now;
use ponder_store::{TokenPurpose, User};
use serde::Deserialize;

fn claim_page(ctx: &Ctx, form: FormState, step: &'static str, status: StatusCode) -> Response {
    let mut response = render(&ClaimPage {
        head: Head::new(
            ctx,
            "Claim your account",
            "Claim the account that came to this site with the community's earlier one.",
        ),
        step,
        form,
    });
    *response.status_mut() = status;
    response
}

/// `GET /claim`: asks for the address an administrator gave the account.
pub async fn request_form(ctx: Ctx) -> Response {
    claim_page(&ctx, FormState::new(), "request", StatusCode::OK)
}

/// The request for a claim link as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimRequestForm {
    csrf: String,
    email: String,
}

/// `POST /claim`: mails a claim link if an imported account waits for the
/// address (a reset link if its account was claimed already); answers the same
/// either way, and counts like a reset request.
pub async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    form: CsrfForm<ClaimRequestForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let (email, mut form) = match ask_for_link(&state, &ip, &input.email)? {
        Ok(asked) => asked,
        Err(form) => {
            return Ok(claim_page(
                &ctx,
                form,
                "request",
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    form.success = Some(format!(
        "If an account waits for {email}, a link to claim it is on its way. Check your inbox."
    ));
    Ok(nothing_stale(claim_page(
        &ctx,
        form,
        "sent",
        StatusCode::OK,
    )))
}

/// `GET /claim/finish?token=`: the form for the account's first password.
pub async fn finish_form(ctx: Ctx, query: Result<Query<TokenParam>, QueryRejection>) -> Response {
    let token = token_of(query).unwrap_or_default();
    claim_page(
        &ctx,
        FormState::new().with("token", token),
        "choose",
        StatusCode::OK,
    )
}

/// The first password as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimForm {
    csrf: String,
    token: String,
    password: String,
}

/// `POST /claim/finish`: sets the password, confirms the address the link went
/// to, and logs the owner in.
pub async fn finish(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    UserAgent(agent): UserAgent,
    form: CsrfForm<ClaimForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let mut form = FormState::new().with("token", input.token.trim());
    if let Err(message) = validate_password(&input.password) {
        form.error("password", message);
        return Ok(claim_page(
            &ctx,
            form,
            "choose",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let refused = |mut form: FormState| {
        form.general = Some(
            "This claim link is wrong, was used already, or has expired. Ask for a new one.".into(),
        );
        claim_page(&ctx, form, "choose", StatusCode::BAD_REQUEST)
    };
    let token = input.token.trim();
    if !is_token_shaped(token) {
        return Ok(refused(form));
    }
    // As for a reset: counted like a log-in, hashed before the link is used up.
    state.limits().check_login_ip(&ip)?;
    let hash = password::hash(input.password).await?;
    let used = state
        .store
        .use_email_token(&sha256_hex(token), TokenPurpose::ClaimAccount, now())
        .await?;
    let Some((user, email)) = used else {
        return Ok(refused(form));
    };
    if !state
        .store
        .claim_account(user, &hash, &email, now())
        .await?
    {
        return Ok(refused(form));
    }
    tracing::info!(user = user.0, "an imported account was claimed");
    let cookie = start_session(&state, user, ctx.session_hash.as_deref(), &agent).await?;
    // The profile stops saying the account waits for its owner.
    Ok(Changed::Everything.mark(see_other("/settings?saved=claimed", Some(cookie))))
}

/// The unclaimed imported account `id`, for an administrator.
async fn claimable(state: &AppState, id: UserId) -> Result<User, AppError> {
    let user = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))?;
    if !user.unclaimed {
        return Err(AppError::Conflict(format!(
            "@{} is not an unclaimed imported account: it has a password already.",
            user.handle
        )));
    }
    Ok(user)
}

fn admin_page(ctx: &Ctx, user: &User, form: FormState, status: StatusCode) -> Response {
    let mut response = render(&AdminClaimPage {
        head: Head::new(
            ctx,
            format!("Send a claim link for @{}", user.handle),
            "Send the owner of an imported account the link that claims it.",
        ),
        user_id: user.id.0,
        handle: user.handle.clone(),
        name: user.display_name.clone(),
        form,
    });
    *response.status_mut() = status;
    response
}

/// `GET /admin/users/{id}/claim`: the address to send account `id`'s claim link to.
pub async fn admin_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<UserId>,
) -> Result<Response, AppError> {
    require_admin(&ctx, &format!("/admin/users/{id}/claim"))?;
    let user = claimable(&state, id).await?;
    let email = state
        .store
        .login_record_by_id(id)
        .await?
        .and_then(|r| r.email)
        .unwrap_or_default();
    Ok(admin_page(
        &ctx,
        &user,
        FormState::new().with("email", email),
        StatusCode::OK,
    ))
}

/// The address as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdminClaimForm {
    csrf: String,
    email: String,
}

/// `POST /admin/users/{id}/claim`: gives the account the address (so that its
/// owner can ask for a new link by it later) and mails the link there.
pub async fn admin_send(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<UserId>,
    form: CsrfForm<AdminClaimForm>,
) -> Result<Response, AppError> {
    require_admin(&ctx, &format!("/admin/users/{id}/claim"))?;
    let input = form.checked()?;
    let user = claimable(&state, id).await?;
    let mut form = FormState::new().with("email", input.email.trim());
    let email = match validate_email(&input.email) {
        Ok(email) => email,
        Err(message) => {
            form.error("email", message);
            return Ok(admin_page(
                &ctx,
                &user,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if let Some(other) = state.store.login_record(&email).await?.filter(|r| {
        r.user.id != id
            && r.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email))
    }) {
        form.error(
            "email",
            format!("@{} uses this address already", other.user.handle),
        );
        return Ok(admin_page(&ctx, &user, form, StatusCode::CONFLICT));
    }
    if !state.store.set_claim_email(id, &email, now()).await? {
        return Err(AppError::Conflict(format!(
            "@{} was claimed meanwhile; no link was sent.",
            user.handle
        )));
    }
    let message = match mail_token(&state, id, &email, &CLAIM).await? {
        Ok(()) => format!("Sent a claim link for @{} to {email}.", user.handle),
        Err(wait) => format!(
            "@{} was given {email}, but its allowance of links is used up: try again in {}.",
            user.handle,
            ponder_core::text::count((wait + 59).max(60) / 60, "minute", "minutes")
        ),
    };
    Ok(nothing_stale(see_other(
        &format!("/admin/users?done={}", query_encode(&message)),
        None,
    )))
}

crate::extract::has_csrf!(ClaimRequestForm, ClaimForm, AdminClaimForm);
