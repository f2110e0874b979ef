//! The first start: while a site has no administrator, each start of the server
//! prints a one-time setup link to its log (see [`print_setup_link`]), and the page
//! it opens makes the first administrator in the browser. Once one exists every
//! link is refused; `ponder user create --admin` works as well.

use super::auth::{see_other, start_session};
use super::client_ip::{ClientIp, UserAgent};
use super::email::{TokenParam, token_of};
use super::signup::check_account_fields;
use crate::AppState;
use crate::actions;
use crate::auth::password;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::auth::{Ctx, tokens::is_token_shaped};
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::page_cache::Changed;
use crate::views::{AuthPage, Head, Link, notice, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_store::{NewUser, PostBody, Role, Store, StoreError};
use serde::Deserialize;

/// While `store`'s site has no administrator, makes a setup link and writes it
/// to the log for whoever runs the server; answers it (`None` when the site has
/// an administrator).
pub async fn print_setup_link(
    store: &dyn Store,
    base_url: &str,
) -> Result<Option<String>, StoreError> {
    if store.has_administrator().await? {
        return Ok(None);
    }
    let token = random_token();
    store
        .create_setup_token(&sha256_hex(&token), ponder_core::time::now())
        .await?;
    let link = format!("{base_url}/setup?token={token}");
    // The link is a secret, written to the log on purpose: the log is how the
    // operator, and only the operator, hears from a server that has no one else.
    tracing::info!(
        "this site has no administrator yet: open {link} to make one (the link works \
         until an administrator exists), or run `ponder user create --admin`"
    );
    Ok(Some(link))
}

fn setup_page(ctx: &Ctx, form: FormState, status: StatusCode) -> Response {
    let mut response = render(&AuthPage {
        head: Head::new(
            ctx,
            "Set up this site",
            "Make the first administrator of this site.",
        ),
        heading: "Make the first administrator",
        action: "/setup",
        mode: "setup",
        form,
    });
    *response.status_mut() = status;
    response
}

/// What a setup link that does not work answers.
fn dead_link(ctx: &Ctx) -> Response {
    notice(
        ctx,
        StatusCode::NOT_FOUND,
        "This setup link does not work",
        "The link is wrong, or this site has an administrator already. Log in, or ask an administrator.",
        Link {
            label: "Log in".into(),
            url: "/login".into(),
        },
    )
}

/// `GET /setup?token=`: the form that makes the first administrator.
pub async fn setup_form(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<TokenParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let Some(token) = token_of(query) else {
        return Ok(dead_link(&ctx));
    };
    if !state.store.setup_token_works(&sha256_hex(&token)).await? {
        return Ok(dead_link(&ctx));
    }
    Ok(setup_page(
        &ctx,
        FormState::new().with("token", token),
        StatusCode::OK,
    ))
}

/// The setup form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    csrf: String,
    token: String,
    handle: String,
    email: String,
    password: String,
}

crate::extract::has_csrf!(SetupForm);

/// `POST /setup`: makes the administrator, logs them in, and goes to the home page
/// (to the categories page on a site that has none).
pub async fn setup(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    UserAgent(agent): UserAgent,
    form: CsrfForm<SetupForm>,
) -> Result<Response, AppError> {
    let input = form.checked()?;
    // Counted like a log-in: a wrong token costs a password hash.
    state.limits().check_login_ip(&ip)?;
    let token = input.token.trim();
    if !is_token_shaped(token) {
        return Ok(dead_link(&ctx));
    }
    let mut form = FormState::new()
        .with("token", token)
        .with("handle", input.handle.trim())
        .with("email", input.email.trim());
    let Some((handle, email)) =
        check_account_fields(&mut form, &input.handle, &input.email, &input.password)
    else {
        return Ok(setup_page(&ctx, form, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let hash = password::hash(input.password).await?;
    let now = ponder_core::time::now();
    let admin = NewUser {
        display_name: handle.clone(),
        handle,
        email: Some(email),
        password_hash: Some(hash),
        role: Role::Admin,
        about: PostBody::from_markdown(""),
        created_at: now,
    };
    let user = match state
        .store
        .claim_setup(&sha256_hex(token), admin, now)
        .await
    {
        Ok(Some(user)) => user,
        Ok(None) => return Ok(dead_link(&ctx)),
        Err(StoreError::Conflict { constraint }) => {
            if constraint.contains("email") {
                form.error("email", "an account uses this address; choose another");
            } else {
                form.error("handle", "that handle is taken; choose another");
            }
            return Ok(setup_page(&ctx, form, StatusCode::CONFLICT));
        }
        Err(other) => return Err(other.into()),
    };
    state.note_administrator();
    state.note_member_joined();
    start_launch(&state, &user).await?;
    let cookie = start_session(&state, user.id, ctx.session_hash.as_deref(), &agent).await?;
    // A site without categories is one nobody can ask in: its administrator is
    // led to make them. The home page's note that the site has no administrator goes.
    let next = if state.store.categories().await?.is_empty() {
        "/admin/categories"
    } else {
        "/"
    };
    Ok(Changed::Everything.mark(see_other(next, Some(cookie))))
}

/// Puts a new site (one without posts) in launch mode, so that its first
/// members can vote and comment; its administrator ends it at `/admin/settings`,
/// or it ends by itself at the number of members set there.
async fn start_launch(state: &AppState, admin: &ponder_store::User) -> Result<(), AppError> {
    let (_, posts) = state.store.content_counts().await?;
    if posts > 0 {
        return Ok(());
    }
    actions::settings::change_settings(state, admin, &[("launch.mode", "on".to_owned())]).await?;
    Ok(())
}
