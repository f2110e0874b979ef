//! Sign-up, log-in, password reset, notices, and the settings page.

use super::*;
use askama::Template;

/// A page with a heading and a message.
#[derive(Template)]
#[template(path = "auth/notice.html")]
pub struct NoticePage {
    /// Head.
    pub head: Head,
    /// The heading.
    pub heading: String,
    /// The message.
    pub message: String,
    /// A link back.
    pub back: Link,
}

/// `/signup` and `/login`: one template, two modes.
#[derive(Template)]
#[template(path = "auth/form.html")]
pub struct AuthPage {
    /// Head.
    pub head: Head,
    /// The heading.
    pub heading: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// `signup`, `finish` (the page a sign-up's link opens), `setup` (the first
    /// administrator) or `login`.
    pub mode: &'static str,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

impl AuthPage {
    /// The `next` value, encoded for the other form's link.
    pub fn next_query(&self) -> String {
        crate::forms::query_encode(self.form.value("next"))
    }
}

/// `/reset-password`: asking for a link, the link sent, and choosing the password.
#[derive(Template)]
#[template(path = "auth/reset.html")]
pub struct ResetPage {
    /// Head.
    pub head: Head,
    /// `request`, `sent` or `choose`.
    pub step: &'static str,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

/// `/claim`: asking for a claim link, the link sent, and choosing the password.
#[derive(Template)]
#[template(path = "auth/claim.html")]
pub struct ClaimPage {
    /// Head.
    pub head: Head,
    /// `request`, `sent` or `choose`.
    pub step: &'static str,
    /// Values and messages.
    pub form: crate::forms::FormState,
}

/// `/admin/users/{id}/claim`: the address to send an imported account's claim
/// link to.
#[derive(Template)]
#[template(path = "admin/claim.html")]
pub struct AdminClaimPage {
    /// Head.
    pub head: Head,
    /// The account's id.
    pub user_id: i64,
    /// Its handle.
    pub handle: String,
    /// Its display name.
    pub name: String,
    /// The address, and what was wrong with it.
    pub form: crate::forms::FormState,
}

/// `/settings`.
#[derive(Template)]
#[template(path = "settings/index.html")]
pub struct SettingsPage {
    /// Head.
    pub head: Head,
    /// The user's handle.
    pub handle: String,
    /// Their email.
    pub email: String,
    /// Whether it is verified.
    pub email_verified: bool,
    /// Their avatar's URL.
    pub avatar_url: String,
    /// A message that something was saved.
    pub notice: Option<String>,
    /// The profile form.
    pub profile: crate::forms::FormState,
    /// The password form.
    pub password: crate::forms::FormState,
    /// The delete form.
    pub delete: crate::forms::FormState,
    /// The avatar form.
    pub avatar: crate::forms::FormState,
    /// The user's sessions, most recently used first.
    pub sessions: Vec<SessionRow>,
    /// The member's API tokens.
    pub tokens: Vec<TokenRow>,
    /// The new-token form.
    pub token_form: crate::forms::FormState,
    /// A token just made, shown this once.
    pub new_token: Option<String>,
    /// Whether immediate mail for direct items is on.
    pub mail_direct: bool,
    /// The digest's frequency: `off`, `daily` or `weekly`.
    pub mail_digest: &'static str,
    /// Whether the site sends mail at all.
    pub mail_delivers: bool,
}

/// An API token, as the settings page lists it.
pub struct TokenRow {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `read` or `write`.
    pub scope: &'static str,
    /// When it was made.
    pub created: Moment,
    /// When it stops working.
    pub expires: Moment,
    /// Whether it has stopped.
    pub expired: bool,
    /// When it was last used.
    pub last_used: Option<Moment>,
}

/// One of a user's sessions on their settings page.
pub struct SessionRow {
    /// What names it in the form that ends it.
    pub id: String,
    /// The browser it began in, e.g. "Firefox on Linux".
    pub device: String,
    /// When it began.
    pub started: Moment,
    /// When it was last used.
    pub last_used: Moment,
    /// Whether it is the one this page was asked for in.
    pub current: bool,
}

/// A [`NoticePage`] answering `status`: a heading, a message and a link back.
pub fn notice(
    ctx: &crate::auth::RequestContext,
    status: axum::http::StatusCode,
    heading: &str,
    message: &str,
    back: Link,
) -> axum::response::Response {
    let mut response = render(&NoticePage {
        head: Head::new(ctx, heading, message),
        heading: heading.to_owned(),
        message: message.to_owned(),
        back,
    });
    *response.status_mut() = status;
    response
}
