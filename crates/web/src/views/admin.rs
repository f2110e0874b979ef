//! The administrators' list of users.

use super::*;
use askama::Template;

/// A user in the administrators' list.
pub struct AdminUserRow {
    /// Their id.
    pub id: i64,
    /// Their display name.
    pub name: String,
    /// Their handle.
    pub handle: String,
    /// Their profile.
    pub url: String,
    /// Their role.
    pub role: &'static str,
    /// Reputation with separators.
    pub reputation: String,
    /// When they joined.
    pub joined: Moment,
    /// Whether they can be made a moderator.
    pub can_promote: bool,
    /// Whether they can be made a plain user again.
    pub can_demote: bool,
}

/// `/admin/users`.
#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct AdminUsersPage {
    /// Head.
    pub head: Head,
    /// "12 users".
    pub total_label: String,
    /// The users on this page.
    pub rows: Vec<AdminUserRow>,
    /// Links to other pages.
    pub pager: Pager,
}
