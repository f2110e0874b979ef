//! Invitation links, for sites whose registration is by invitation: made by
//! administrators, or by members whose reputation reaches the site's setting;
//! withdrawn by their maker or an administrator.

use super::{ActionResult, Changed, Outcome, writer};
use crate::AppState;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::error::AppError;
use ponder_core::refusal::Refusal;
use ponder_core::rules::Role;
use ponder_store::{Invitation, NewInvitation, User};

/// The most sign-ups one invitation makes.
pub const MAX_USES: i64 = 1_000;
/// The longest an invitation works, in days.
pub const MAX_DAYS: i64 = 90;

/// What an invitation is to be, checked for range by the transport.
#[derive(Debug, Clone)]
pub struct InvitationInput {
    /// How many sign-ups it makes, 1 to [`MAX_USES`].
    pub uses: i64,
    /// For how many days it works, 1 to [`MAX_DAYS`].
    pub days: i64,
    /// Whom it is for (for its maker's list; never shown to the invited).
    pub note: String,
}

/// Whether `user` may make invitations on this site: an administrator, or a
/// member with the reputation the settings ask (none, while it is 0).
pub fn may_invite(state: &AppState, user: &User) -> bool {
    if user.role == Role::Admin {
        return true;
    }
    let needed = state
        .settings()
        .settings
        .number("registration.invite_reputation");
    needed > 0 && user.reputation >= needed
}

/// Makes an invitation; answers it and its token (shown once: only its hash is
/// kept).
pub async fn create_invitation(
    state: &AppState,
    user: &User,
    input: InvitationInput,
) -> ActionResult<(Invitation, String)> {
    writer(user)?;
    if !may_invite(state, user) {
        return Err(Refusal::AdministratorsOnly.into());
    }
    if !(1..=MAX_USES).contains(&input.uses) || !(1..=MAX_DAYS).contains(&input.days) {
        return Err(AppError::BadRequest(format!(
            "An invitation makes 1 to {MAX_USES} accounts and works 1 to {MAX_DAYS} days."
        )));
    }
    let token = random_token();
    let now = ponder_core::time::now();
    let made = state
        .store
        .create_invitation(NewInvitation {
            token_hash: sha256_hex(&token),
            created_by: user.id,
            created_at: now,
            expires_at: now + input.days * 86_400,
            max_uses: input.uses,
            note: input.note,
        })
        .await?;
    Ok(Outcome {
        value: (made, token),
        changed: Changed::Nothing,
    })
}

/// Withdraws invitation `id`: its maker or an administrator.
pub async fn revoke_invitation(state: &AppState, user: &User, id: i64) -> ActionResult<()> {
    writer(user)?;
    let Some(invitation) = state.store.invitation_by_id(id).await? else {
        return Err(AppError::NotFound("There is no such invitation.".into()));
    };
    if invitation.created_by != user.id && user.role != Role::Admin {
        return Err(Refusal::AdministratorsOnly.into());
    }
    state
        .store
        .revoke_invitation(id, ponder_core::time::now())
        .await?;
    Ok(Outcome {
        value: (),
        changed: Changed::Nothing,
    })
}
