//! The inbox, the achievements page, what a member follows, and the follow
//! buttons other pages carry.

use super::{Head, Moment, Pager, question_path};
use askama::Template;
use ponder_core::notices::{FollowKind, FollowLevel, NoticeKind};
use ponder_store::Notice;

/// One inbox item, ready to print.
pub struct InboxRow {
    /// Its id.
    pub id: i64,
    /// What happened: "3 new answers to your question".
    pub headline: String,
    /// The question's title (empty for a moderator's message).
    pub title: String,
    /// Where opening it leads, marking it read on the way.
    pub open_url: String,
    /// Who did the newest of it.
    pub actor: Option<String>,
    /// A reason or a message.
    pub detail: String,
    /// When the newest of it happened.
    pub when: Moment,
    /// Whether it is unread.
    pub unread: bool,
}

impl InboxRow {
    /// The row of `notice`, seen at `now`.
    pub fn new(notice: &Notice, now: i64) -> Self {
        Self {
            id: notice.id,
            headline: notice.kind.headline(notice.count),
            title: notice
                .question
                .as_ref()
                .map(|(_, title)| title.clone())
                .unwrap_or_default(),
            open_url: format!("/inbox/{}/open", notice.id),
            actor: notice.actor.as_ref().map(|(_, name)| name.clone()),
            detail: notice.detail.clone(),
            when: Moment::new(notice.updated_at, now),
            unread: !notice.read,
        }
    }
}

/// Where an inbox item leads: the comment, answer or question it is about, or
/// the inbox itself for a moderator's message.
pub fn notice_target(notice: &Notice) -> String {
    let Some((question, title)) = &notice.question else {
        return format!("/inbox#notice-{}", notice.id);
    };
    let path = question_path(*question, title);
    if notice.kind == NoticeKind::ModeratorMessage {
        return format!("/inbox#notice-{}", notice.id);
    }
    match (notice.comment, notice.post) {
        (Some(comment), _) => format!("{path}#comment-{comment}"),
        (None, Some(post)) if post != *question => format!("{path}#answer-{post}"),
        _ => format!("{path}#question"),
    }
}

/// `/inbox`.
#[derive(Template)]
#[template(path = "inbox/index.html")]
pub struct InboxPage {
    /// Head.
    pub head: Head,
    /// This page of items, newest first.
    pub rows: Vec<InboxRow>,
    /// "12 items".
    pub total_label: String,
    /// Whether any is unread (offers "mark all read").
    pub any_unread: bool,
    /// The other pages.
    pub pager: Pager,
}

/// One post's reputation changes on one day, ready to print.
pub struct AchievementRow {
    /// The day.
    pub day: String,
    /// The question's title and address, when the changes had a post.
    pub post: Option<(String, String)>,
    /// "+15" or "-2".
    pub amount: String,
    /// Whether it gained.
    pub gained: bool,
    /// "3 events".
    pub events: String,
    /// The reputation after them.
    pub total: String,
    /// Privileges reached with them.
    pub reached: Vec<&'static str>,
}

/// A badge earned, ready to print.
pub struct BadgeRow {
    /// Its name.
    pub name: String,
    /// `bronze`, `silver` or `gold`.
    pub class: String,
    /// When.
    pub when: Moment,
}

/// `/inbox/achievements`.
#[derive(Template)]
#[template(path = "inbox/achievements.html")]
pub struct AchievementsPage {
    /// Head.
    pub head: Head,
    /// Reputation now.
    pub reputation: String,
    /// This page of reputation changes.
    pub rows: Vec<AchievementRow>,
    /// Badges, newest first (on the first page).
    pub badges: Vec<BadgeRow>,
    /// The other pages.
    pub pager: Pager,
}

/// A follow or unfollow button, for a logged-in viewer.
pub struct FollowButton {
    /// `question`, `tag`, `category` or `user`.
    pub kind: &'static str,
    /// What is followed, in words for a screen reader: "this question".
    pub what: String,
    /// Its id.
    pub id: i64,
    /// Whether the viewer follows it now.
    pub followed: bool,
    /// Whether its news goes to the viewer's inbox (not only the digest).
    pub to_inbox: bool,
    /// Where the form comes back to.
    pub next: String,
    /// Whether to offer the digest-only level (tags and categories).
    pub offers_digest: bool,
}

impl FollowButton {
    /// The button for `kind` `id`, followed at `level` now.
    pub fn new(
        kind: FollowKind,
        id: i64,
        what: impl Into<String>,
        level: Option<FollowLevel>,
        next: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.as_str(),
            what: what.into(),
            id,
            followed: level.is_some(),
            to_inbox: level == Some(FollowLevel::Inbox),
            next: next.into(),
            offers_digest: matches!(kind, FollowKind::Tag | FollowKind::Category),
        }
    }
}

/// One followed thing, ready to print.
pub struct FollowingRow {
    /// "Question", "Tag", "Category" or "User".
    pub kind: &'static str,
    /// Its name.
    pub label: String,
    /// Its page.
    pub url: String,
    /// "inbox" or "digest only".
    pub level: &'static str,
    /// The form that unfollows it (shown to the member themselves).
    pub button: FollowButton,
}

/// `/users/{id}/following`.
#[derive(Template)]
#[template(path = "users/following.html")]
pub struct FollowingPage {
    /// Head.
    pub head: Head,
    /// Whose list.
    pub owner: String,
    /// Their profile's address.
    pub owner_url: String,
    /// Whether the viewer is the member (and may unfollow).
    pub own: bool,
    /// This page.
    pub rows: Vec<FollowingRow>,
    /// "7 things".
    pub total_label: String,
    /// The other pages.
    pub pager: Pager,
}

/// `/unsubscribe?token=`: the question before a person's click unsubscribes.
#[derive(Template)]
#[template(path = "inbox/unsubscribe.html")]
pub struct UnsubscribePage {
    /// Head.
    pub head: Head,
    /// The link's token, posted back.
    pub token: String,
}

/// `/users/{id}/message`: a moderator's message to a member.
#[derive(Template)]
#[template(path = "users/message.html")]
pub struct MessagePage {
    /// Head.
    pub head: Head,
    /// The member's id.
    pub target_id: i64,
    /// Their name.
    pub target_name: String,
    /// Their profile.
    pub target_url: String,
    /// The longest message.
    pub max: usize,
    /// The form's values and messages.
    pub form: crate::forms::FormState,
}
