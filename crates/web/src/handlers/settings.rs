//! The settings page: profile, password, email verification and deleting the account.
//! Each form posts to its own URL and, when it works, redirects back to the page
//! with a message (POST/redirect/GET); when it does not, the page comes back with
//! the message beside the field and what was typed still in it.

use super::auth::see_other;
use crate::AppState;
use crate::actions;
use crate::auth::device;
use crate::auth::{Ctx, cookies};
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::views::{Head, Moment, SessionRow, SettingsPage, TokenRow, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::accounts::{
    validate_about, validate_display_name, validate_location, validate_password, validate_website,
};
use ponder_core::api_tokens::{TokenScope, validate_token_days, validate_token_name};
use ponder_core::notices::{DigestFrequency, MailPreferences};
use ponder_core::refusal::Refusal;
use ponder_store::User;
use serde::Deserialize;

/// Which form a re-rendered page is about, so only its messages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Section {
    /// A new API token's form, refused.
    Token,
    /// An API token just made: the token, shown this once.
    TokenMade(String),
    /// Name and about.
    Profile,
    /// Password change.
    Password,
    /// Account deletion.
    Delete,
    /// Picture upload.
    Avatar,
}

/// Renders the settings page; with `section`, that form comes back with its
/// values and messages and the page answers 422.
pub async fn settings_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    section: Option<(Section, FormState)>,
    saved: Option<&str>,
) -> Result<Response, AppError> {
    let record = state
        .store
        .login_record_by_id(user.id)
        .await?
        .ok_or_else(|| AppError::NotFound("This account no longer exists.".into()))?;
    let mut profile = FormState::new()
        .with("display_name", user.display_name.clone())
        .with("about", user.about_markdown.clone())
        .with("location", user.location.clone().unwrap_or_default())
        .with("website", user.website_url.clone().unwrap_or_default());
    let mut password_form = FormState::new();
    let mut delete_form = FormState::new();
    let mut avatar_form = FormState::new();
    let mut token_form = FormState::new().with("days", "90").with("scope", "read");
    let mut new_token = None;
    let status = match section {
        Some((Section::Token, form)) => {
            token_form = form;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some((Section::TokenMade(token), form)) => {
            token_form = form;
            new_token = Some(token);
            StatusCode::OK
        }
        Some((Section::Profile, form)) => {
            profile = form;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some((Section::Password, form)) => {
            password_form = form;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some((Section::Delete, form)) => {
            delete_form = form;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some((Section::Avatar, form)) => {
            avatar_form = form;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        None => StatusCode::OK,
    };
    let notice = match saved {
        Some("profile") => Some("Your profile was saved."),
        Some("password") => Some("Your password was changed. Your other sessions were logged out."),
        Some("verification") => Some("A new confirmation link is on its way to your inbox."),
        Some("avatar") => Some("Your picture was saved."),
        Some("session") => Some("That session was ended; its browser is logged out."),
        Some("sessions") => Some("Every other session was ended."),
        Some("mail") => Some("Your mail choices were saved."),
        Some("token") => Some("That token was revoked: it works no more."),
        Some("claimed") => Some(
            "The account is yours: its posts, reputation and badges stay with it. Check its name and about text below.",
        ),
        _ => None,
    };
    let now = ponder_core::time::now();
    let sessions = state
        .store
        .user_sessions(user.id, now)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            current: ctx.session_hash.as_deref() == Some(s.id_hash.as_str()),
            device: device::describe(&s.user_agent),
            started: Moment::new(s.created_at, now),
            last_used: Moment::new(s.last_seen_at, now),
            id: s.id_hash,
        })
        .collect();
    let mail = state.store.mail_preferences(user.id).await?;
    let tokens = state
        .store
        .api_tokens(user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            scope: t.scope.as_str(),
            created: Moment::new(t.created_at, now),
            expires: Moment::new(t.expires_at, now),
            expired: t.expires_at <= now,
            last_used: t.last_used_at.map(|at| Moment::new(at, now)),
        })
        .collect();
    let page = SettingsPage {
        head: Head::new(ctx, "Settings", "Your profile, password and account."),
        tokens,
        token_form,
        new_token,
        mail_direct: mail.direct,
        mail_digest: mail.digest.as_str(),
        mail_delivers: state.mailer.delivers(),
        handle: user.handle.clone(),
        email: record.email.unwrap_or_default(),
        email_verified: record.email_verified,
        avatar_url: format!("/users/{}/avatar", user.id),
        notice: notice.map(str::to_owned),
        profile,
        password: password_form,
        delete: delete_form,
        avatar: avatar_form,
        sessions,
    };
    let mut response = render(&page);
    *response.status_mut() = status;
    Ok(response)
}

/// `?saved=` after a form worked.
#[derive(Debug, Default, Deserialize)]
pub struct SavedParam {
    saved: Option<String>,
}

/// `GET /settings`.
pub async fn show_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<SavedParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    let saved = query.ok().and_then(|q| q.0.saved);
    settings_page(&state, &ctx, &user, None, saved.as_deref()).await
}

/// The new-token form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    csrf: String,
    name: String,
    scope: String,
    days: String,
}

/// `POST /settings/tokens`: makes a personal access token and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<TokenForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    let input = form.checked()?;
    let mut form = FormState::new()
        .with("name", input.name.clone())
        .with("scope", input.scope.clone())
        .with("days", input.days.clone());
    let name = validate_token_name(&input.name)
        .map_err(|m| form.error("name", m))
        .ok();
    let scope = TokenScope::parse(input.scope.trim());
    if scope.is_none() {
        form.error("scope", "choose read, or read and write");
    }
    let days = validate_token_days(&input.days)
        .map_err(|m| form.error("days", m))
        .ok();
    let (Some(name), Some(scope), Some(days)) = (name, scope, days) else {
        return settings_page(&state, &ctx, &user, Some((Section::Token, form)), None).await;
    };
    let made = actions::accounts::create_api_token(&state, &user, name, scope, days).await?;
    let (token, secret) = made.value;
    let mut fresh = FormState::new().with("days", "90").with("scope", "read");
    fresh.success = Some(format!(
        "Made the token “{}”. Copy it now: it is not shown again.",
        token.name
    ));
    let response = settings_page(
        &state,
        &ctx,
        &user,
        Some((Section::TokenMade(secret), fresh)),
        None,
    )
    .await?;
    Ok(crate::page_cache::nothing_stale(response))
}

/// The revoke button's form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeTokenForm {
    csrf: String,
}

/// `POST /settings/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<RevokeTokenForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    form.checked()?;
    let id = super::parse_id(&id, "token")?;
    let done = actions::accounts::revoke_api_token(&state, &user, id).await?;
    Ok(done.see_other("/settings?saved=token#tokens"))
}

/// The mail form: a checkbox (present when ticked) and a choice.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MailForm {
    csrf: String,
    direct: Option<String>,
    digest: String,
}

/// `POST /settings/mail`: immediate mail for items addressed to the member, and
/// how often the digest of what they follow comes.
pub async fn save_mail(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<MailForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    let input = form.checked()?;
    let digest = DigestFrequency::parse(input.digest.trim())
        .ok_or_else(|| AppError::BadRequest("Choose a digest: off, daily or weekly.".into()))?;
    let prefs = MailPreferences {
        direct: input.direct.is_some(),
        digest,
    };
    let done = actions::accounts::set_mail_preferences(&state, &user, prefs).await?;
    Ok(done.see_other("/settings?saved=mail#mail"))
}

/// The profile form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    csrf: String,
    display_name: String,
    about: String,
    location: String,
    website: String,
}

/// `POST /settings/profile`.
pub async fn save_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<ProfileForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_writer("/settings")?.clone();
    let input = form.checked()?;
    let mut form = FormState::new()
        .with("display_name", input.display_name.clone())
        .with("about", input.about.clone())
        .with("location", input.location.clone())
        .with("website", input.website.clone());
    let name = validate_display_name(&input.display_name)
        .map_err(|m| form.error("display_name", m))
        .ok();
    let _ = validate_about(&input.about).map_err(|m| form.error("about", m));
    let location = validate_location(&input.location)
        .map_err(|m| form.error("location", m))
        .ok();
    let website = validate_website(&input.website)
        .map_err(|m| form.error("website", m))
        .ok();
    let (Some(display_name), Some(location), Some(website_url), false) =
        (name, location, website, form.has_errors())
    else {
        return settings_page(&state, &ctx, &user, Some((Section::Profile, form)), None).await;
    };
    let fields = actions::accounts::ProfileFields {
        display_name,
        about: input.about,
        location,
        website_url,
    };
    let done = actions::accounts::update_profile(&state, &user, fields).await?;
    Ok(done.see_other("/settings?saved=profile"))
}

/// The password form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

/// `POST /settings/password`: needs the current password; logs out every other session.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<PasswordForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    let input = form.checked()?;
    let mut form = FormState::new();
    let _ = validate_password(&input.new_password).map_err(|m| form.error("new_password", m));
    if input.current_password.is_empty() {
        form.error("current_password", "enter your current password");
    }
    if !form.has_errors() {
        let keep = ctx.session_hash.as_deref();
        let changed = actions::accounts::change_password(
            &state,
            &user,
            input.current_password,
            input.new_password,
            keep,
        )
        .await;
        match changed {
            Ok(done) => return Ok(done.see_other("/settings?saved=password")),
            Err(AppError::Refused(Refusal::WrongPassword)) => {
                form.error("current_password", "that is not your current password");
            }
            Err(other) => return Err(other),
        }
    }
    settings_page(&state, &ctx, &user, Some((Section::Password, form)), None).await
}

/// The delete form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    csrf: String,
    password: String,
    confirm: String,
}

/// `POST /settings/delete`: deletes the account after the password and a tick in
/// the confirmation box. What the user wrote stays, under a placeholder.
pub async fn delete_account(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<DeleteForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    let input = form.checked()?;
    let mut form = FormState::new();
    if input.confirm != "yes" {
        form.error(
            "confirm",
            "tick the box to confirm that you want to delete your account",
        );
    }
    let deleted = if form.has_errors() {
        // The password is still checked, so the form says all that is wrong.
        actions::accounts::check_password(&state, user.id, input.password)
            .await
            .map(|()| None)
    } else {
        actions::accounts::delete_account(&state, &user, input.password)
            .await
            .map(Some)
    };
    match deleted {
        Ok(Some(done)) => {
            let cookie = cookies::clear(
                cookies::session_name(state.site.secure_cookies()),
                state.site.secure_cookies(),
            );
            return Ok(done
                .changed
                .mark(see_other("/?account=deleted", Some(cookie))));
        }
        Ok(None) => {}
        Err(AppError::Refused(Refusal::WrongPassword)) => {
            form.error("password", "that is not your password");
        }
        Err(other) => return Err(other),
    }
    if input.confirm == "yes" {
        form.set("confirm", "yes");
    }
    settings_page(&state, &ctx, &user, Some((Section::Delete, form)), None).await
}

/// The form that ends one session.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndSessionForm {
    csrf: String,
    session: String,
}

/// `POST /settings/sessions/end`: ends one of the user's sessions (another
/// browser's; ending this one is logging out).
pub async fn end_session(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<EndSessionForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    let input = form.checked()?;
    let current = ctx.session_hash.as_deref();
    let done = actions::accounts::end_session(&state, &user, input.session.trim(), current).await?;
    Ok(done.see_other("/settings?saved=session#sessions-heading"))
}

/// `POST /settings/sessions/end-others`: ends every session but this one.
pub async fn end_other_sessions(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<crate::handlers::auth::CsrfOnly>,
) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?.clone();
    form.checked()?;
    let current = ctx.session_hash.as_deref();
    let done = actions::accounts::end_other_sessions(&state, &user, current).await?;
    Ok(done.see_other("/settings?saved=sessions#sessions-heading"))
}

crate::extract::has_csrf!(
    TokenForm,
    RevokeTokenForm,
    MailForm,
    DeleteForm,
    EndSessionForm,
    PasswordForm,
    ProfileForm
);

/// `GET /settings/data.json`: the member's own data (profile, posts, comments,
/// votes) as a JSON download. Its size is bounded by what they wrote; it is
/// never cached, and only its owner can have it.
pub async fn download_data(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user("/settings")?;
    let record = state
        .store
        .login_record_by_id(user.id)
        .await?
        .ok_or_else(|| AppError::NotFound("Your account is gone.".into()))?;
    let data = state.store.personal_data(user.id).await?;
    let mail = state.store.mail_preferences(user.id).await?;
    let tokens: Vec<serde_json::Value> = state
        .store
        .api_tokens(user.id)
        .await?
        .into_iter()
        .map(|t| {
            serde_json::json!({
                "name": t.name,
                "scope": t.scope.as_str(),
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
            })
        })
        .collect();
    // What they follow, page by page (at most 100 pages of 50).
    let mut following = Vec::new();
    for page in 1..=100 {
        let found = state.store.following(user.id, page).await?;
        let done = u64::from(page) * u64::from(found.per_page) >= found.total.max(0) as u64;
        following.extend(found.items.into_iter().map(|f| {
            serde_json::json!({
                "kind": f.kind.as_str(),
                "id": f.target_id,
                "name": f.label,
                "level": f.level.as_str(),
                "since": f.created_at,
            })
        }));
        if done {
            break;
        }
    }
    let body = serde_json::json!({
        "site": state.site.base_url,
        "exported_at": ponder_core::time::now(),
        "profile": {
            "id": user.id.0,
            "handle": user.handle,
            "display_name": user.display_name,
            "email": record.email,
            "email_verified": record.email_verified,
            "about_markdown": user.about_markdown,
            "location": user.location,
            "website_url": user.website_url,
            "reputation": user.reputation,
            "role": user.role.as_str(),
            "created_at": user.created_at,
        },
        "posts": data.posts,
        "comments": data.comments,
        "votes": data.votes,
        "following": following,
        "mail": { "direct": mail.direct, "digest": mail.digest.as_str() },
        "api_tokens": tokens,
    });
    use axum::response::IntoResponse;
    let json = serde_json::to_vec_pretty(&body)
        .map_err(|e| AppError::Internal(format!("cannot write your data: {e}")))?;
    let name = format!("attachment; filename=\"{}-data.json\"", user.handle);
    let mut response = (
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (axum::http::header::CACHE_CONTROL, "private, no-store"),
        ],
        json,
    )
        .into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&name) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    Ok(crate::page_cache::nothing_stale(response))
}
