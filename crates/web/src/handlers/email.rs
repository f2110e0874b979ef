//! Email verification, password reset and the link that finishes a sign-up. Each
//! sends a single-use link (the token itself is only in the mail; the database
//! keeps its hash). The reset request answers the same whether or not an account
//! uses the address, so it cannot be used to find out who has an account: the
//! account is looked up and the mail sent after the answer has gone, so that its
//! timing says nothing either. Sign-up does the same (see `signup`).
//!
//! Each kind of link has an allowance per account, or per address for a sign-up
//! ([`MailAllowance`]: a pause after each mail and a daily cap), counted from what
//! the database keeps, so it holds across nodes and restarts.

use super::auth::{CsrfOnly, see_other};
use super::client_ip::ClientIp;
use crate::AppState;
use crate::auth::mail::Mail;
use crate::auth::tokens::{is_token_shaped, random_token, sha256_hex};
use crate::auth::{Ctx, password};
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::page_cache::nothing_stale;
use crate::views::{Head, Link, ResetPage, notice, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::UserId;
use ponder_core::accounts::{validate_email, validate_password};
use ponder_core::mail_allowance::MailAllowance;
use ponder_core::time::now;
use ponder_store::{NewEmailToken, NewSignup, TokenPurpose};
use serde::Deserialize;

/// One kind of mailed link.
#[derive(Clone, Copy)]
pub(super) struct LinkMail {
    purpose: TokenPurpose,
    /// Seconds the link works.
    lifetime: i64,
    subject: &'static str,
    intro: &'static str,
    /// The page the link opens.
    path: &'static str,
}

const VERIFY: LinkMail = LinkMail {
    purpose: TokenPurpose::VerifyEmail,
    lifetime: 3 * 86_400,
    subject: "confirm your email address",
    intro: "Open this link to confirm that this address is yours:",
    path: "/verify-email",
};

const RESET: LinkMail = LinkMail {
    purpose: TokenPurpose::ResetPassword,
    lifetime: 3_600,
    subject: "reset your password",
    intro: "Someone asked to reset the password of your account. Open this link to choose a new one:",
    path: "/reset-password/new",
};

/// The link that finishes a sign-up. It is not an account's token (there is no
/// account yet, so `purpose` is unused): the sign-up itself keeps its hash.
const SIGNUP: LinkMail = LinkMail {
    purpose: TokenPurpose::VerifyEmail,
    lifetime: 3 * 86_400,
    subject: "finish making your account",
    intro: "Open this link to confirm that this address is yours and finish making your account:",
    path: "/signup/finish",
};

/// The link that hands an imported account to its owner (see `claims`). It lasts
/// a week: an administrator may send it to someone who reads mail seldom.
pub(super) const CLAIM: LinkMail = LinkMail {
    purpose: TokenPurpose::ClaimAccount,
    lifetime: 7 * 86_400,
    subject: "claim your account",
    intro: "An account of yours came to this site with the community's earlier one: its posts, reputation and badges are waiting. Open this link to claim it and choose its password:",
    path: "/claim/finish",
};

/// What someone who signs up with an address that has an account gets: the
/// owner learns of the attempt and can choose a new password.
const ACCOUNT_EXISTS: LinkMail = LinkMail {
    purpose: TokenPurpose::ResetPassword,
    lifetime: 3_600,
    subject: "you have an account already",
    intro: "Someone, perhaps you, tried to sign up with this address, but it has an account already: log in with it instead. If you have forgotten its password, open this link to choose a new one:",
    path: "/reset-password/new",
};

/// Makes a token for `user` and mails its link to `email`, if the account's
/// allowance for this kind of link has room; if not, sends nothing and answers the
/// seconds until it has.
pub(super) async fn mail_token(
    state: &AppState,
    user: UserId,
    email: &str,
    kind: &LinkMail,
) -> Result<Result<(), i64>, AppError> {
    let LinkMail {
        purpose,
        lifetime,
        subject,
        ..
    } = *kind;
    let token = random_token();
    let at = now();
    let stored = state
        .store
        .create_email_token_within(
            NewEmailToken {
                token_hash: sha256_hex(&token),
                user,
                purpose,
                email: email.to_owned(),
                created_at: at,
                expires_at: at + lifetime,
            },
            MailAllowance::default(),
        )
        .await?;
    if let Err(wait) = stored {
        tracing::info!(%user, "{subject}: mail not sent, over the account's allowance");
        return Ok(Err(wait));
    }
    mail_link(state, email, &token, kind).await?;
    Ok(Ok(()))
}

/// Mails `to` the link that opens `kind`'s page with `token`.
async fn mail_link(
    state: &AppState,
    to: &str,
    token: &str,
    kind: &LinkMail,
) -> Result<(), AppError> {
    let link = format!("{}{}?token={token}", state.site.base_url, kind.path);
    let body = format!(
        "{}\n\n{link}\n\nThe link works once and expires in {}. If you did not ask for this, ignore this message.\n\n{}\n",
        kind.intro,
        ponder_core::text::count(kind.lifetime / 3_600, "hour", "hours"),
        state.settings().name()
    );
    let mail = Mail::text(
        to,
        format!("{}: {}", state.settings().name(), kind.subject),
        body,
    );
    state
        .mailer
        .send(mail)
        .await
        .map_err(|e| AppError::Internal(format!("mail not sent: {e}")))
}

/// What a sign-up asks for, checked and with its password hashed.
pub struct SignupRequest {
    /// The handle asked for.
    pub handle: String,
    /// The address to mail the link to.
    pub email: String,
    /// Argon2id hash of the chosen password.
    pub password_hash: String,
    /// The local path to go to once the account is made.
    pub next_path: String,
    /// The hash of the invitation it came with (registration by invitation).
    pub invitation_hash: Option<String>,
}

/// Makes a pending sign-up and mails its link to its address, if the address's
/// allowance has room (logged if not: the sign-up form has answered already).
pub async fn mail_signup_link(state: &AppState, request: SignupRequest) -> Result<(), AppError> {
    let token = random_token();
    let at = now();
    let stored = state
        .store
        .create_signup_within(
            NewSignup {
                token_hash: sha256_hex(&token),
                handle: request.handle,
                email: request.email.clone(),
                password_hash: request.password_hash,
                next_path: request.next_path,
                created_at: at,
                expires_at: at + SIGNUP.lifetime,
                invitation_hash: request.invitation_hash,
            },
            MailAllowance::default(),
        )
        .await?;
    if stored.is_err() {
        tracing::info!("sign-up link not sent, over the address's allowance");
        return Ok(());
    }
    mail_link(state, &request.email, &token, &SIGNUP).await
}

/// Tells the owner of `user`, whose address someone tried to sign up with, that
/// they have an account, with a link to choose a new password (within the
/// account's allowance for reset links).
pub async fn mail_account_exists(
    state: &AppState,
    user: UserId,
    email: &str,
) -> Result<(), AppError> {
    // An imported account has no password to reset: its owner claims it.
    let unclaimed = state.store.user(user).await?.is_some_and(|u| u.unclaimed);
    let kind = if unclaimed { &CLAIM } else { &ACCOUNT_EXISTS };
    mail_token(state, user, email, kind).await.map(|_| ())
}

/// Sends `user` a link that verifies their email, if the account has an address
/// that is not verified yet and its allowance has room (if not, the seconds until
/// it has).
async fn mail_verification(state: &AppState, user: UserId) -> Result<Result<(), i64>, AppError> {
    let Some(record) = state.store.login_record_by_id(user).await? else {
        return Ok(Ok(()));
    };
    let (Some(email), false) = (record.email, record.email_verified) else {
        return Ok(Ok(()));
    };
    mail_token(state, user, &email, &VERIFY).await
}

/// A link's query string.
#[derive(Debug, Default, Deserialize)]
pub struct TokenParam {
    token: Option<String>,
}

/// The link's token, if it has the shape of one.
pub fn token_of(query: Result<Query<TokenParam>, QueryRejection>) -> Option<String> {
    query
        .ok()
        .and_then(|q| q.0.token)
        .filter(|t| is_token_shaped(t))
}

/// `GET /verify-email?token=`: confirms an address.
pub async fn verify_email(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<TokenParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let used = match token_of(query) {
        Some(token) => {
            state
                .store
                .use_email_token(&sha256_hex(&token), TokenPurpose::VerifyEmail, now())
                .await?
        }
        None => None,
    };
    let (status, heading, message) = match used {
        Some((user, _)) => {
            state.store.set_email_verified(user, now()).await?;
            (
                StatusCode::OK,
                "Email confirmed",
                "Thank you: your email address is confirmed.",
            )
        }
        None => (
            StatusCode::BAD_REQUEST,
            "This link does not work",
            "The link is wrong, was used already, or has expired. Log in and send a new one from your settings.",
        ),
    };
    let back = Link {
        label: "Go to the home page".into(),
        url: "/".into(),
    };
    Ok(notice(&ctx, status, heading, message, back))
}

/// `POST /settings/verify-email`: sends the link again.
pub async fn resend_verification(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.id;
    form.checked()?;
    if let Err(wait) = mail_verification(&state, user).await? {
        return Err(AppError::RateLimited {
            retry_after_secs: u64::try_from(wait).unwrap_or(1),
        });
    }
    Ok(nothing_stale(see_other(
        "/settings?saved=verification",
        None,
    )))
}

fn reset_page(ctx: &Ctx, form: FormState, step: &'static str, status: StatusCode) -> Response {
    let mut response = render(&ResetPage {
        head: Head::new(
            ctx,
            "Reset your password",
            "Choose a new password for your account.",
        ),
        step,
        form,
    });
    *response.status_mut() = status;
    response
}

/// `GET /reset-password`: asks for the account's email.
pub async fn reset_request_form(ctx: Ctx) -> Response {
    reset_page(&ctx, FormState::new(), "request", StatusCode::OK)
}

/// The reset request as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetRequestForm {
    csrf: String,
    email: String,
}

/// `POST /reset-password`: mails a link if an account uses the address; answers
/// the same either way.
pub async fn reset_request(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    form: CsrfForm<ResetRequestForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let (email, mut form) = match ask_for_link(&state, &ip, &input.email)? {
        Ok(asked) => asked,
        Err(form) => {
            return Ok(reset_page(
                &ctx,
                form,
                "request",
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    form.success = Some(format!(
        "If an account uses {email}, a link to reset its password is on its way. Check your inbox."
    ));
    Ok(nothing_stale(reset_page(
        &ctx,
        form,
        "sent",
        StatusCode::OK,
    )))
}

/// An address posted to ask for a mailed link (a reset or a claim): checked,
/// counted like a log-in, and the link mailed once the answer has gone
/// ([`mail_reset_link`]). The address and the form holding it; or the form with
/// the message beside the field.
pub(super) fn ask_for_link(
    state: &AppState,
    ip: &str,
    typed: &str,
) -> Result<Result<(String, FormState), FormState>, AppError> {
    let mut form = FormState::new().with("email", typed.trim());
    let email = match validate_email(typed) {
        Ok(email) => email,
        Err(message) => {
            form.error("email", message);
            return Ok(Err(form));
        }
    };
    state.limits().check_login_ip(ip)?;
    state
        .limits()
        .check_login_account(&format!("reset:{}", email.to_lowercase()), ip)?;
    tokio::spawn(mail_reset_link(state.clone(), email.clone()));
    Ok(Ok((email, form)))
}

/// Mails a reset link to `email` if an account uses it and its allowance has room
/// (a claim link if the account is imported and unclaimed); runs after the request
/// is answered, so failures go to the log.
async fn mail_reset_link(state: AppState, email: String) {
    let outcome = async {
        let record = state.store.login_record(&email).await?;
        let Some(record) = record.filter(|r| {
            r.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email))
        }) else {
            return Ok(());
        };
        // An imported account has no password to reset: its owner claims it.
        let kind = if record.user.unclaimed {
            &CLAIM
        } else {
            &RESET
        };
        mail_token(&state, record.user.id, &email, kind)
            .await
            .map(|_| ())
    };
    if let Err(err) = outcome.await {
        tracing::warn!(%err, "reset mail not sent");
    }
}

/// `GET /reset-password/new?token=`: the form for the new password.
pub async fn reset_form(ctx: Ctx, query: Result<Query<TokenParam>, QueryRejection>) -> Response {
    let token = token_of(query).unwrap_or_default();
    reset_page(
        &ctx,
        FormState::new().with("token", token),
        "choose",
        StatusCode::OK,
    )
}

/// The new password as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    csrf: String,
    token: String,
    password: String,
}

/// `POST /reset-password/new`: sets the password, ends every session of the
/// account, and sends the user to log in.
pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    form: CsrfForm<ResetForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    let mut form = FormState::new().with("token", input.token.trim());
    if let Err(message) = validate_password(&input.password) {
        form.error("password", message);
        return Ok(reset_page(
            &ctx,
            form,
            "choose",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let token = input.token.trim();
    let refused = |mut form: FormState| {
        form.general = Some(
            "This reset link is wrong, was used already, or has expired. Ask for a new one.".into(),
        );
        reset_page(&ctx, form, "choose", StatusCode::BAD_REQUEST)
    };
    if !is_token_shaped(token) {
        return Ok(refused(form));
    }
    // Hashed before the token is used, so that a busy server does not cost the
    // link; counted like a log-in, since a wrong token costs a hash too. Only a
    // valid password uses the token up, so a typo does not cost the link either.
    state.limits().check_login_ip(&ip)?;
    let hash = password::hash(input.password).await?;
    let used = state
        .store
        .use_email_token(&sha256_hex(token), TokenPurpose::ResetPassword, now())
        .await?;
    let Some((user, _)) = used else {
        return Ok(refused(form));
    };
    state.store.change_password(user, &hash, now()).await?;
    state.store.delete_user_sessions(user, None).await?;
    Ok(nothing_stale(see_other("/login?reset=done", None)))
}

crate::extract::has_csrf!(ResetForm, ResetRequestForm);
