//! Actions: every write, whatever transport asks for it. An action takes the
//! acting user and typed input (already parsed and checked for shape by the
//! transport, with `ponder_core`'s validators), applies the rules
//! ([`ponder_core::rules`]) and the limits, calls one store transaction, and
//! answers an [`Outcome`] that names what it made and what it [`Changed`], or the
//! error that says why not (a [`ponder_core::refusal::Refusal`] for a rule).
//! The HTML handlers parse a form, call an action, and redirect or show the form
//! again; a JSON API calls the same actions and copies no check.
//!
//! - [`accounts`]: a member's profile, password, picture, sessions and deletion;
//!   roles.
//! - [`categories`]: making categories.
//! - [`posts`]: asking, answering, commenting.
//! - [`votes`]: votes on posts and comments, accepting an answer.
//! - [`inbox`]: following, reading inbox items, moderators' messages.
//! - [`invitations`]: invitation links, for registration by invitation.
//! - [`edits`]: editing, rolling back, deleting and undeleting.
//! - [`moderation`]: flags, closing, locks, suspensions, the review queue, the log.
//! - [`settings`]: the site settings.
//! - [`tags`]: synonyms and moderator-only tags when asking, tag wikis, renames
//!   and merges.
//! - [`webhooks`]: registering webhooks, deleting them, test deliveries.

pub mod accounts;
pub mod categories;
pub mod edits;
pub mod inbox;
pub mod invitations;
pub mod moderation;
pub mod posts;
pub mod settings;
pub mod tags;
pub mod votes;
pub mod webhooks;

use crate::error::AppError;
use axum::response::Response;
use ponder_core::PostId;
use ponder_core::refusal::Refusal;
use ponder_core::rules::Actor;
use ponder_store::User;

pub use crate::page_cache::Changed;

/// What an action made, and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<T> {
    /// What it made or found (a new post's id, a score).
    pub value: T,
    /// What went stale.
    pub changed: Changed,
}

impl<T> Outcome<T> {
    /// An outcome that changed the thread of `question`.
    pub fn thread(question: PostId, value: T) -> Self {
        Self {
            value,
            changed: Changed::Thread(question),
        }
    }

    /// A 200 with `body` as JSON, marked with what changed.
    pub fn json(&self, body: impl serde::Serialize) -> Response {
        use axum::response::IntoResponse;
        self.changed.mark(axum::Json(body).into_response())
    }

    /// A 303 to `location`, marked with what changed.
    pub fn see_other(&self, location: &str) -> Response {
        self.changed
            .mark(crate::redirect::see_other(location, None))
    }
}

/// Where a post sits: its thread, and the address of its place on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The post.
    pub post: PostId,
    /// Its question (itself for a question).
    pub question: PostId,
    /// The address of the post on its question's page.
    pub url: String,
}

/// Where `post` sits, or 404 if there is no such post.
pub async fn place(state: &crate::AppState, post: PostId) -> Result<Place, AppError> {
    let found = state
        .store
        .editable_post(post)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no post {post}.")))?;
    let path = crate::views::question_path(found.question_id, &found.question_title);
    let url = if found.question_id == post {
        format!("{path}#question")
    } else {
        format!("{path}#answer-{post}")
    };
    Ok(Place {
        post,
        question: found.question_id,
        url,
    })
}

/// What an action answers: an outcome, or why not.
pub type ActionResult<T> = Result<Outcome<T>, AppError>;

/// `user` as the actor of a write: refused while their account is suspended.
pub fn writer(user: &User) -> Result<Actor, Refusal> {
    user.as_writer(ponder_core::time::now())
}
