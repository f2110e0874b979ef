//! Accounts: users, sessions, mailed tokens, sign-ups waiting for their link,
//! profiles and avatars.

use super::*;
use ponder_core::UserId;
use ponder_core::markdown::SafeHtml;
use ponder_core::time::Timestamp;

/// A user's account as the site shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The unique handle, as typed at sign-up.
    pub handle: String,
    /// The name shown beside their posts.
    pub display_name: String,
    /// "About me", as sanitized HTML.
    pub about_html: SafeHtml,
    /// Reputation, at least 1.
    pub reputation: i64,
    /// Their role.
    pub role: Role,
    /// When they joined.
    pub created_at: Timestamp,
    /// Whether the account was deleted; what they wrote stays under a placeholder.
    pub deleted: bool,
    /// "About me", as the Markdown they wrote.
    pub about_markdown: String,
    /// Until when they are suspended, if they are.
    pub suspended_until: Option<Timestamp>,
    /// Why they were suspended.
    pub suspension_reason: String,
    /// Whether an import made the account and its owner has not claimed it yet
    /// (it has no password until they do).
    pub unclaimed: bool,
    /// Where they say they are, as they wrote it.
    pub location: Option<String>,
    /// Their website, as they gave it.
    pub website_url: Option<String>,
}

impl User {
    /// Whether they are suspended at `now`.
    pub fn is_suspended(&self, now: Timestamp) -> bool {
        ponder_core::rules::suspended_at(self.suspended_until, now)
    }

    /// Who they are to the rules as the author of a write at `now`: refused while
    /// their account is suspended.
    pub fn as_writer(
        &self,
        now: Timestamp,
    ) -> Result<ponder_core::rules::Actor, ponder_core::refusal::Refusal> {
        match self.suspended_until {
            Some(until) if self.is_suspended(now) => {
                Err(ponder_core::refusal::Refusal::Suspended {
                    until,
                    reason: self.suspension_reason.clone(),
                })
            }
            _ => Ok(self.actor()),
        }
    }

    /// Who they are to the rules.
    pub fn actor(&self) -> ponder_core::rules::Actor {
        ponder_core::rules::Actor {
            id: self.id,
            role: self.role,
            reputation: self.reputation,
        }
    }
}

/// The author of a post or comment, as shown in its card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    /// The user's id.
    pub id: UserId,
    /// The name shown.
    pub display_name: String,
    /// Reputation.
    pub reputation: i64,
    /// Whether the account was deleted.
    pub deleted: bool,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Unique handle (without regard to case).
    pub handle: String,
    /// Name shown beside posts.
    pub display_name: String,
    /// Email, unique without regard to case; `None` for imported or demo users.
    pub email: Option<String>,
    /// Argon2id hash, or `None` for an account that cannot log in.
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
    /// "About me" text.
    pub about: PostBody,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// What log-in needs to know about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    /// The account.
    pub user: User,
    /// Its email, if it has one.
    pub email: Option<String>,
    /// Whether the email was verified.
    pub email_verified: bool,
    /// The argon2id hash of its password; `None` when it cannot log in.
    pub password_hash: Option<String>,
}

/// A session to create at log-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The SHA-256 (hex) of the session cookie's value; the value itself is never stored.
    pub id_hash: String,
    /// Whose session.
    pub user: UserId,
    /// The token that forms of this session must carry.
    pub csrf_token: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// The browser's User-Agent header, cut to [`USER_AGENT_MAX`] characters.
    pub user_agent: String,
}

/// The most characters of a User-Agent header kept with a session.
pub const USER_AGENT_MAX: usize = 300;

/// A session as its owner sees it in their settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// The SHA-256 (hex) of its cookie's value: what names it in a form.
    pub id_hash: String,
    /// The browser's User-Agent header.
    pub user_agent: String,
    /// When it began.
    pub created_at: Timestamp,
    /// When it was last used (a few minutes stale at most).
    pub last_seen_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The logged-in user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// When it was last used, as last recorded.
    pub last_seen_at: Timestamp,
    /// How many of the user's inbox items are unread, counted up to 100.
    pub unread: i64,
}

/// A change to a user's public profile.
#[derive(Debug, Clone)]
pub struct ProfileEdit {
    /// The name shown beside their posts.
    pub display_name: String,
    /// "About me".
    pub about: PostBody,
    /// Where they say they are; `None` clears it.
    pub location: Option<String>,
    /// Their website; `None` clears it.
    pub website_url: Option<String>,
}

/// What a mailed token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Proves that the user reads the mailbox they gave.
    VerifyEmail,
    /// Lets the user choose a new password.
    ResetPassword,
    /// Lets the owner of an imported account claim it: choose its first password.
    ClaimAccount,
}

impl TokenPurpose {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ClaimAccount => "claim_account",
        }
    }
}

/// A single-use token to mail to a user.
#[derive(Debug, Clone)]
pub struct NewEmailToken {
    /// The SHA-256 (hex) of the token; the token itself is only in the mail.
    pub token_hash: String,
    /// Whose token.
    pub user: UserId,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// The address it was sent to.
    pub email: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// A sign-up waiting for the link mailed to its address: the account is made when
/// the link is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignup {
    /// The SHA-256 (hex) of the link's token; the token itself is only in the mail.
    pub token_hash: String,
    /// The handle asked for (checked again when the account is made).
    pub handle: String,
    /// The address the link goes to; the account's email once it is opened.
    pub email: String,
    /// Argon2id hash of the chosen password.
    pub password_hash: String,
    /// The local path to go to once the account is made.
    pub next_path: String,
    /// When the sign-up was sent.
    pub created_at: Timestamp,
    /// When its link stops working.
    pub expires_at: Timestamp,
    /// The hash of the invitation it was made with, which making the account
    /// uses up (a site whose registration is by invitation).
    pub invitation_hash: Option<String>,
}

/// A sign-up found by its token: what the finishing page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignup {
    /// The handle asked for.
    pub handle: String,
    /// The address the link was mailed to.
    pub email: String,
    /// The local path to go to once the account is made.
    pub next_path: String,
    /// Whether it was made with an invitation.
    pub invited: bool,
}

/// An uploaded avatar image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Avatar {
    /// Its content type, e.g. `image/png`.
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
    /// When it was uploaded.
    pub updated_at: Timestamp,
}

/// What administrators see of a member's activity beside their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserActivity {
    /// The member.
    pub user: UserId,
    /// When they last used the site (their sessions' newest use), if known.
    pub last_seen: Option<Timestamp>,
    /// Their questions and answers, not deleted.
    pub posts: i64,
    /// Flags raised on their posts and comments.
    pub flags: i64,
    /// Times they were suspended.
    pub suspensions: i64,
}

/// A post in a member's own data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalPost {
    /// Its id.
    pub id: i64,
    /// `question` or `answer`.
    pub kind: String,
    /// The question of an answer.
    pub question_id: Option<i64>,
    /// A question's title.
    pub title: Option<String>,
    /// Its body, as Markdown.
    pub body_markdown: String,
    /// When it was posted.
    pub created_at: Timestamp,
    /// When it was deleted, if it was.
    pub deleted_at: Option<Timestamp>,
}

/// A comment in a member's own data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalComment {
    /// Its id.
    pub id: i64,
    /// The post it is on.
    pub post_id: i64,
    /// Its text, as Markdown.
    pub body_markdown: String,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// A vote in a member's own data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalVote {
    /// The post voted on.
    pub post_id: i64,
    /// 1 up, -1 down.
    pub value: i64,
    /// When.
    pub created_at: Timestamp,
}

/// Everything a member wrote and voted, for their own download.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonalData {
    /// Their questions and answers, oldest first.
    pub posts: Vec<PersonalPost>,
    /// Their comments, oldest first.
    pub comments: Vec<PersonalComment>,
    /// Their votes on posts, oldest first.
    pub votes: Vec<PersonalVote>,
}
