//! A member's own account: profile, password, picture, sessions and deletion; and
//! an administrator's change of a member's role. Checking a password counts
//! against the member's allowance of checks, since each costs a slow hash.

use super::{ActionResult, Changed, Outcome, writer};
use crate::AppState;
use crate::auth::limits::PostingKind;
use crate::auth::password;
use crate::error::AppError;
use ponder_core::UserId;
use ponder_core::refusal::Refusal;
use ponder_core::rules::Role;
use ponder_store::{Avatar, ProfileEdit, User};

fn done(changed: Changed) -> Outcome<()> {
    Outcome { value: (), changed }
}

/// What a member's profile form sets, each field checked by the transport.
#[derive(Debug)]
pub struct ProfileFields {
    /// The name shown beside their posts.
    pub display_name: String,
    /// "About me", as Markdown.
    pub about: String,
    /// Where they say they are, if anywhere.
    pub location: Option<String>,
    /// Their website, if any.
    pub website_url: Option<String>,
}

/// Changes `user`'s display name, about text, location and website; a suspended
/// user may not.
pub async fn update_profile(
    state: &AppState,
    user: &User,
    fields: ProfileFields,
) -> ActionResult<()> {
    writer(user)?;
    let edit = ProfileEdit {
        display_name: fields.display_name,
        about: crate::rendering::post_body(
            state,
            user.into(),
            fields.about.trim().to_owned(),
            crate::rendering::site_options(state),
        )
        .await?,
        location: fields.location,
        website_url: fields.website_url,
    };
    state.store.update_profile(user.id, edit).await?;
    // The name shows beside everything they wrote.
    Ok(done(Changed::Everything))
}

/// Sets what mail `user` wants from the inbox (a suspended member may too: it is
/// their mailbox).
pub async fn set_mail_preferences(
    state: &AppState,
    user: &User,
    prefs: ponder_core::notices::MailPreferences,
) -> ActionResult<()> {
    state.store.set_mail_preferences(user.id, prefs).await?;
    Ok(done(Changed::Nothing))
}

/// Makes a personal access token for `user` (name and days checked by the
/// transport): answers it and the token itself, shown once (only its hash is kept).
pub async fn create_api_token(
    state: &AppState,
    user: &User,
    name: String,
    scope: ponder_core::api_tokens::TokenScope,
    days: i64,
) -> ActionResult<(ponder_store::ApiToken, String)> {
    let secret = format!(
        "{}{}",
        ponder_core::api_tokens::TOKEN_PREFIX,
        crate::auth::tokens::random_token()
    );
    let now = ponder_core::time::now();
    let made = state
        .store
        .create_api_token(ponder_store::NewApiToken {
            user: user.id,
            token_hash: crate::auth::tokens::sha256_hex(
                secret
                    .strip_prefix(ponder_core::api_tokens::TOKEN_PREFIX)
                    .unwrap_or_default(),
            ),
            name,
            scope,
            created_at: now,
            expires_at: now + days * 86_400,
        })
        .await?;
    Ok(Outcome {
        value: (made, secret),
        changed: Changed::Nothing,
    })
}

/// Revokes `user`'s token `id`; another's, or one revoked already, is not found.
pub async fn revoke_api_token(state: &AppState, user: &User, id: i64) -> ActionResult<()> {
    if !state
        .store
        .revoke_api_token(user.id, id, ponder_core::time::now())
        .await?
    {
        return Err(AppError::NotFound("You have no such token.".into()));
    }
    Ok(done(Changed::Nothing))
}

/// `Ok` if `typed` is `user`'s password; [`Refusal::WrongPassword`] if not. Each
/// check counts against the user's allowance.
pub async fn check_password(state: &AppState, user: UserId, typed: String) -> Result<(), AppError> {
    state
        .limits()
        .check_posting(PostingKind::PasswordCheck, user)?;
    let hash = state
        .store
        .login_record_by_id(user)
        .await?
        .and_then(|r| r.password_hash);
    if typed.is_empty() || !password::verify(typed, hash).await? {
        return Err(Refusal::WrongPassword.into());
    }
    Ok(())
}

/// Sets a new password (its shape checked by the transport) once `current` is
/// shown to be the password now, and ends every other session of the user
/// (`keep` is the session to keep, the one asking).
pub async fn change_password(
    state: &AppState,
    user: &User,
    current: String,
    new: String,
    keep: Option<&str>,
) -> ActionResult<()> {
    check_password(state, user.id, current).await?;
    let hash = password::hash(new).await?;
    state
        .store
        .change_password(user.id, &hash, ponder_core::time::now())
        .await?;
    state.store.delete_user_sessions(user.id, keep).await?;
    Ok(done(Changed::Nothing))
}

/// Deletes `user`'s account once `typed` is shown to be their password: what they
/// wrote stays, under a placeholder.
pub async fn delete_account(state: &AppState, user: &User, typed: String) -> ActionResult<()> {
    if user.role == Role::Admin {
        // The site must keep someone who can run it.
        return Err(Refusal::AdministratorNotDeleted.into());
    }
    check_password(state, user.id, typed).await?;
    state
        .store
        .delete_user(user.id, ponder_core::time::now())
        .await?;
    Ok(done(Changed::Everything))
}

/// Stores `png` (made by the avatar decoder) as `user`'s picture; a suspended user
/// may not change it.
pub async fn set_avatar(state: &AppState, user: &User, png: Vec<u8>) -> ActionResult<()> {
    writer(user)?;
    state
        .store
        .set_avatar(
            user.id,
            Avatar {
                content_type: "image/png".into(),
                bytes: png,
                updated_at: ponder_core::time::now(),
            },
        )
        .await?;
    // Pictures are served at their own address, which pages link without a version.
    Ok(done(Changed::Nothing))
}

/// Ends `user`'s session `id` (not `current`, the one asking: that is logging out).
pub async fn end_session(
    state: &AppState,
    user: &User,
    id: &str,
    current: Option<&str>,
) -> ActionResult<()> {
    if current == Some(id) {
        return Err(AppError::BadRequest(
            "That is the session you are using; log out to end it.".into(),
        ));
    }
    if !state.store.end_user_session(user.id, id).await? {
        return Err(AppError::NotFound("That session has ended already.".into()));
    }
    Ok(done(Changed::Nothing))
}

/// Ends every session of `user` but `current`.
pub async fn end_other_sessions(
    state: &AppState,
    user: &User,
    current: Option<&str>,
) -> ActionResult<()> {
    state.store.delete_user_sessions(user.id, current).await?;
    Ok(done(Changed::Nothing))
}

/// Gives `target` a role: administrators only; the site's last administrator
/// keeps theirs (the store refuses it under a lock, so two administrators
/// demoting each other at once cannot leave none).
pub async fn set_role(
    state: &AppState,
    admin: &User,
    target: &User,
    role: Role,
) -> ActionResult<()> {
    admin.actor().require_administrator()?;
    if target.role == role {
        return Ok(done(Changed::Nothing));
    }
    state.store.set_role(target.id, role).await?;
    let action = format!("role_{}", role.as_str());
    let note = format!("{} → {}", target.role.as_str(), role.as_str());
    super::moderation::log(state, admin, &action, "user", target.id.0, &note).await;
    Ok(done(Changed::Everything))
}

/// How an administrator deletes an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    /// The person's data goes; their posts stay under a deleted-user name.
    Anonymise,
    /// Their posts and comments go too (a spam account).
    WithContent,
}

/// Deletes `target`'s account as `admin`: not an administrator's (demote first)
/// nor one's own (that is in one's settings). Answers the posts and comments
/// removed with it.
pub async fn delete_user(
    state: &AppState,
    admin: &User,
    target: &User,
    how: Deletion,
) -> ActionResult<(i64, i64)> {
    admin.actor().require_administrator()?;
    if target.role == Role::Admin || target.id == admin.id {
        return Err(Refusal::AdministratorNotDeleted.into());
    }
    let now = ponder_core::time::now();
    let removed = match how {
        Deletion::Anonymise => {
            state.store.delete_user(target.id, now).await?;
            (0, 0)
        }
        Deletion::WithContent => {
            state
                .store
                .delete_user_with_content(target.id, admin.id, now)
                .await?
        }
    };
    let (action, note) = match how {
        Deletion::Anonymise => ("user_delete", format!("@{} anonymised", target.handle)),
        Deletion::WithContent => (
            "user_delete_with_content",
            format!(
                "@{} deleted with {} and {}",
                target.handle,
                ponder_core::text::count(removed.0, "post", "posts"),
                ponder_core::text::count(removed.1, "comment", "comments")
            ),
        ),
    };
    super::moderation::log(state, admin, action, "user", target.id.0, &note).await;
    Ok(Outcome {
        value: removed,
        changed: Changed::Everything,
    })
}
