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
    /// When they last used the site, if known.
    pub last_seen: Option<Moment>,
    /// Their posts, not deleted.
    pub posts: String,
    /// Flags raised on what they wrote.
    pub flags: String,
    /// "suspended until …", or how many times they were, or empty.
    pub suspension: String,
    /// Whether the administrator may delete the account here (not an
    /// administrator's, not their own).
    pub can_delete: bool,
    /// Whether an import made the account and its owner has not claimed it.
    pub unclaimed: bool,
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
    /// What was searched for (empty: every user).
    pub search: String,
    /// A message that a change was made.
    pub done: Option<String>,
}

/// One category in the administrators' tree.
pub struct AdminCategoryRow {
    /// Its path: "History › Modern".
    pub label: String,
    /// How deep it is (1 for a top category).
    pub depth: usize,
    /// Its page.
    pub url: String,
    /// Its address segment.
    pub slug: String,
    /// Its id, for its edit page and order buttons.
    pub id: i64,
    /// Whether a sibling comes before it (it can move up).
    pub can_move_up: bool,
    /// Whether a sibling comes after it (it can move down).
    pub can_move_down: bool,
}

/// `/admin/categories`.
#[derive(Template)]
#[template(path = "admin/categories.html")]
pub struct AdminCategoriesPage {
    /// Head.
    pub head: Head,
    /// Every category, depth first.
    pub rows: Vec<AdminCategoryRow>,
    /// The choices of parent.
    pub parents: Vec<CategoryOption>,
    /// The form's values and messages.
    pub form: crate::forms::FormState,
}

/// One field of the settings page.
pub struct SettingField {
    /// The setting's key, the field's name.
    pub key: &'static str,
    /// The element id (the key with dashes).
    pub id: String,
    /// Its label.
    pub label: &'static str,
    /// What it does.
    pub help: &'static str,
    /// `line`, `email`, `number`, `text` (Markdown or lines) or `choice`.
    pub control: &'static str,
    /// The value shown: the one typed, or the one in force.
    pub value: String,
    /// The choices of a `choice` control.
    pub choices: Vec<&'static str>,
    /// Where the value in force comes from, and the default under it.
    pub source: String,
    /// The message beside it.
    pub error: Option<String>,
}

/// One section of the settings page, a form of its own.
pub struct SettingGroup {
    /// Its name in the form (`site`, `limits`).
    pub name: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its fields.
    pub fields: Vec<SettingField>,
    /// A note on the section (launch mode's state), if any.
    pub note: Option<String>,
}

/// `/admin/settings`.
#[derive(Template)]
#[template(path = "admin/settings.html")]
pub struct AdminSettingsPage {
    /// Head.
    pub head: Head,
    /// Every section.
    pub groups: Vec<SettingGroup>,
    /// A message that a save worked, or that nothing changed.
    pub success: Option<String>,
    /// A message that a section was refused.
    pub problem: Option<String>,
}

/// `/admin/categories/{id}`: one category's rename, move and deletion forms.
#[derive(Template)]
#[template(path = "admin/category.html")]
pub struct AdminCategoryPage {
    /// Head.
    pub head: Head,
    /// Its id.
    pub id: i64,
    /// Its path: "History › Modern".
    pub label: String,
    /// Its page.
    pub url: String,
    /// "3 questions" filed in it.
    pub questions: String,
    /// Where it can go (every category but itself).
    pub parents: Vec<CategoryOption>,
    /// What it can merge into (every category but itself).
    pub targets: Vec<CategoryOption>,
    /// The forms' values and messages (name, slug, description; parent; into).
    pub form: crate::forms::FormState,
}

/// One invitation in the list.
pub struct InvitationRow {
    /// Its id.
    pub id: i64,
    /// Its maker's handle.
    pub maker: String,
    /// Whom it is for.
    pub note: String,
    /// "2 of 5 uses".
    pub uses: String,
    /// When it expires.
    pub expires: Moment,
    /// `works`, `used up`, `expired` or `withdrawn`.
    pub state: &'static str,
}

/// `/invitations`.
#[derive(Template)]
#[template(path = "admin/invitations.html")]
pub struct InvitationsPage {
    /// Head.
    pub head: Head,
    /// The invitations, newest first.
    pub rows: Vec<InvitationRow>,
    /// Whether the list is everyone's (an administrator's view).
    pub everyone: bool,
    /// The link just made, shown once.
    pub link: Option<String>,
    /// The registration mode now.
    pub registration: String,
    /// The form's values and messages.
    pub form: crate::forms::FormState,
}

/// One delivery in a webhook's log.
pub struct DeliveryRow {
    /// The event's name.
    pub event: String,
    /// `waiting`, `delivered`, `will retry` or `given up`.
    pub state: String,
    /// The receiver's last status, if it answered.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// The last error.
    pub error: String,
    /// When it was last tried (or queued).
    pub when: Moment,
}

/// A registered webhook and its latest deliveries.
pub struct WebhookRow {
    /// Its id.
    pub id: i64,
    /// Where deliveries go.
    pub url: String,
    /// Its events, joined.
    pub events: String,
    /// When it was registered.
    pub created: Moment,
    /// Its latest deliveries, newest first.
    pub deliveries: Vec<DeliveryRow>,
}

/// `/admin/webhooks`.
#[derive(Template)]
#[template(path = "admin/webhooks.html")]
pub struct WebhooksPage {
    /// Head.
    pub head: Head,
    /// Each event: its name, its label, whether the form ticks it.
    pub events: Vec<(&'static str, &'static str, bool)>,
    /// The registered webhooks.
    pub rows: Vec<WebhookRow>,
    /// The secret of the webhook just registered, shown once.
    pub secret: Option<String>,
    /// Whether private addresses may be reached.
    pub reach_private: bool,
    /// The form's values and messages.
    pub form: crate::forms::FormState,
}
