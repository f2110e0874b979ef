//! `/invitations`: the invitation links a member made (an administrator sees
//! everyone's), the form that makes one, and withdrawal. A new link is shown once,
//! on the page that answers the form: only its hash is kept.

use crate::AppState;
use crate::actions::invitations::{self, InvitationInput, MAX_DAYS, MAX_USES, may_invite};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::page_cache::nothing_stale;
use crate::views::{Head, InvitationRow, InvitationsPage, Moment, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::refusal::Refusal;
use ponder_core::rules::Role;
use ponder_core::text::count;
use ponder_store::User;
use serde::Deserialize;

/// This page's address.
const HERE: &str = "/invitations";

/// The member asking, if they may make invitations.
fn inviter<'a>(state: &AppState, ctx: &'a Ctx) -> Result<&'a User, AppError> {
    let user = ctx.require_user(HERE)?;
    if !may_invite(state, user) {
        return Err(Refusal::AdministratorsOnly.into());
    }
    Ok(user)
}

/// The page, with `form` and, after one was made, its link.
async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    form: FormState,
    link: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let everyone = user.role == Role::Admin;
    let listed = state
        .store
        .invitations((!everyone).then_some(user.id), 100)
        .await?;
    let now = ponder_core::time::now();
    let rows = listed
        .into_iter()
        .map(|i| InvitationRow {
            id: i.id,
            maker: i.created_by_handle.clone(),
            note: i.note.clone(),
            uses: format!("{} of {}", i.uses, count(i.max_uses, "use", "uses")),
            expires: Moment::new(i.expires_at, now),
            state: if i.revoked_at.is_some() {
                "withdrawn"
            } else if i.works_at(now) {
                "works"
            } else if i.uses >= i.max_uses {
                "used up"
            } else {
                "expired"
            },
        })
        .collect();
    let registration = state.settings().settings.registration().to_owned();
    let mut response = render(&InvitationsPage {
        head: Head::new(ctx, "Invitations", "Invitation links to this site."),
        rows,
        everyone,
        link,
        registration,
        form,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The default values of the form.
fn fresh_form() -> FormState {
    FormState::new().with("uses", "1").with("days", "7")
}

/// `GET /invitations`.
pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = inviter(&state, &ctx)?;
    page(&state, &ctx, user, fresh_form(), None, StatusCode::OK).await
}

/// The form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvitationForm {
    csrf: String,
    uses: String,
    days: String,
    note: String,
}

/// A whole number from 1 to `max`, or the message beside its field.
fn number_in(raw: &str, max: i64) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| format!("enter a whole number from 1 to {max}"))
}

/// `POST /invitations`: makes one, and shows its link once.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<InvitationForm>,
) -> Result<Response, AppError> {
    let user = inviter(&state, &ctx)?.clone();
    let input = form.checked()?;
    let mut form = FormState::new()
        .with("uses", input.uses.clone())
        .with("days", input.days.clone())
        .with("note", input.note.clone());
    let uses = number_in(&input.uses, MAX_USES)
        .map_err(|m| form.error("uses", m))
        .ok();
    let days = number_in(&input.days, MAX_DAYS)
        .map_err(|m| form.error("days", m))
        .ok();
    let note = input.note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.chars().count() > 200 || note.chars().any(char::is_control) {
        form.error("note", "use one line of at most 200 characters");
    }
    let (Some(uses), Some(days), false) = (uses, days, form.has_errors()) else {
        return page(
            &state,
            &ctx,
            &user,
            form,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let made =
        invitations::create_invitation(&state, &user, InvitationInput { uses, days, note }).await?;
    let (_, token) = &made.value;
    let link = format!("{}/signup?invite={token}", state.site.base_url);
    let mut fresh = fresh_form();
    fresh.success = Some("Made an invitation. Copy its link now: it is not shown again.".into());
    let response = page(&state, &ctx, &user, fresh, Some(link), StatusCode::OK).await?;
    Ok(nothing_stale(response))
}

/// The withdrawal form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeForm {
    csrf: String,
}

/// `POST /invitations/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<RevokeForm>,
) -> Result<Response, AppError> {
    let user = ctx.require_user(HERE)?.clone();
    form.checked()?;
    let id = super::parse_id(&id, "invitation")?;
    let done = invitations::revoke_invitation(&state, &user, id).await?;
    Ok(done.see_other(HERE))
}

crate::extract::has_csrf!(InvitationForm, RevokeForm);
