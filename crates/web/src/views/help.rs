//! Help pages: the privileges reputation earns.

use super::*;
use askama::Template;

/// One privilege and the reputation it needs on this site.
pub struct PrivilegeRow {
    /// What it lets one do.
    pub action: &'static str,
    /// The reputation it needs.
    pub needed: String,
    /// Whether the viewer holds it (`None` for a visitor).
    pub held: Option<bool>,
}

/// `/privileges`.
#[derive(Template)]
#[template(path = "help/privileges.html")]
pub struct PrivilegesPage {
    /// Head.
    pub head: Head,
    /// Each privilege, lowest threshold first.
    pub rows: Vec<PrivilegeRow>,
    /// The reputation earned on the site that answering a protected question needs.
    pub answer_protected: String,
    /// The viewer's reputation, if logged in.
    pub reputation: Option<String>,
}
