//! Help pages: the privileges reputation earns, with the thresholds in force, and
//! the site's own about and rules pages, written at `/admin/settings`.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{Head, PrivilegeRow, PrivilegesPage, TextPage, render};
use axum::extract::State;
use axum::response::Response;
use ponder_core::markdown::SafeHtml;
use ponder_core::rules::Privilege;
use ponder_core::text::thousands;

/// The privileges in the order of a default site's thresholds.
pub(crate) const LISTED: [Privilege; 7] = [
    Privilege::VoteUp,
    Privilege::Flag,
    Privilege::CommentEverywhere,
    Privilege::VoteDown,
    Privilege::EditOthers,
    Privilege::VoteToClose,
    Privilege::VoteToReopen,
];

/// `GET /privileges`: each privilege and the reputation it needs here, and which
/// the viewer holds.
pub async fn privileges(State(state): State<AppState>, ctx: Ctx) -> Response {
    let actor = ctx.actor();
    let privileges = state.privileges();
    let mut rows: Vec<(i64, PrivilegeRow)> = LISTED
        .into_iter()
        .map(|privilege| {
            let needed = privileges.needed(privilege);
            (
                needed,
                PrivilegeRow {
                    action: privilege.action(),
                    needed: thousands(needed),
                    held: actor.map(|a| privileges.holds(&a, privilege)),
                },
            )
        })
        .collect();
    rows.sort_by_key(|(needed, _)| *needed);
    render(&PrivilegesPage {
        head: Head::new(
            &ctx,
            "Privileges",
            "The reputation each privilege needs on this site.",
        ),
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        answer_protected: thousands(privileges.answer_protected),
        launch: state.in_launch().then(|| {
            let until = ctx.settings.settings.number("launch.until_members");
            format!(
                "This site is young, so these thresholds are lowered until it has {} members (it has {}).",
                thousands(until),
                thousands(state.members())
            )
        }),
        reputation: ctx.viewer.as_ref().map(|u| thousands(u.reputation)),
    })
}

/// A page of the site's own text, or 404 while it is not written.
fn text_page(
    ctx: &Ctx,
    title: &str,
    description: &str,
    html: &SafeHtml,
) -> Result<Response, AppError> {
    if html.as_str().is_empty() {
        return Err(AppError::NotFound(format!(
            "This site has no {} page yet.",
            title.to_lowercase()
        )));
    }
    let contact = ctx.settings.contact().to_owned();
    Ok(render(&TextPage {
        head: Head::new(ctx, title, description),
        heading: title.to_owned(),
        body: html.clone(),
        contact,
    }))
}

/// `GET /about`: what the site is for and who runs it.
pub async fn about(ctx: Ctx) -> Result<Response, AppError> {
    let description = format!("About {}.", ctx.settings.name());
    text_page(&ctx, "About", &description, &ctx.settings.about)
}

/// `GET /rules`: what is on topic and how members are expected to behave.
pub async fn rules(ctx: Ctx) -> Result<Response, AppError> {
    let description = format!("The rules of {}.", ctx.settings.name());
    text_page(&ctx, "Rules", &description, &ctx.settings.rules_page)
}
