//! Help pages: the privileges reputation earns, with the thresholds in force.

use crate::AppState;
use crate::auth::Ctx;
use crate::views::{Head, PrivilegeRow, PrivilegesPage, render};
use axum::extract::State;
use axum::response::Response;
use ponder_core::rules::Privilege;
use ponder_core::text::thousands;

/// The privileges in the order of a default site's thresholds.
const LISTED: [Privilege; 7] = [
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
    let mut rows: Vec<(i64, PrivilegeRow)> = LISTED
        .into_iter()
        .map(|privilege| {
            let needed = state.privileges.needed(privilege);
            (
                needed,
                PrivilegeRow {
                    action: privilege.action(),
                    needed: thousands(needed),
                    held: actor.map(|a| state.privileges.holds(&a, privilege)),
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
        answer_protected: thousands(state.privileges.answer_protected),
        reputation: ctx.viewer.as_ref().map(|u| thousands(u.reputation)),
    })
}
