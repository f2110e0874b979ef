//! A user's profile: answers, badges and reputation history.

use super::*;
use askama::Template;

/// An answer in a profile's list.
pub struct AnswerRow {
    /// Link to the answer in its question.
    pub url: String,
    /// The question's title.
    pub title: String,
    /// The answer's score.
    pub score: i64,
    /// Whether it was accepted.
    pub accepted: bool,
    /// When it was posted.
    pub when: Moment,
}

/// `/users/{id}/{slug}`.
#[derive(Template)]
#[template(path = "users/show.html")]
pub struct UserPage {
    /// Head.
    pub head: Head,
    /// The name shown.
    pub name: String,
    /// The handle.
    pub handle: String,
    /// The avatar URL.
    pub avatar_url: String,
    /// "About me", sanitized HTML.
    pub about_html: String,
    /// Where the member said they are (an imported account's).
    pub location: Option<String>,
    /// Their website, when it is an http or https address (an imported account's).
    pub website: Option<String>,
    /// Whether an import made the account and its owner has not claimed it.
    pub unclaimed: bool,
    /// Whether the viewer may send its owner a claim link (an administrator).
    pub can_send_claim: bool,
    /// When they joined.
    pub joined: Moment,
    /// Reputation with separators.
    pub reputation: String,
    /// Their newest questions.
    pub questions: Vec<QuestionRow>,
    /// "3 questions".
    pub questions_label: String,
    /// Their newest answers.
    pub answers: Vec<AnswerRow>,
    /// "1 answer".
    pub answers_label: String,
    /// The user's id.
    pub user_id: i64,
    /// Their suspension, in words.
    pub suspended: Option<String>,
    /// Whether the viewer may suspend them.
    pub can_suspend: bool,
    /// The follow button, for a logged-in viewer who is someone else.
    pub follow: Option<super::FollowButton>,
    /// What they follow, for themselves and moderators.
    pub following_url: Option<String>,
    /// Whether the viewer may write them a moderator's message.
    pub can_message: bool,
    /// Badges earned, oldest first.
    pub badges: Vec<BadgeView>,
    /// Badge awards in all (a badge earned three times counts three).
    pub badges_earned: usize,
    /// The newest reputation changes.
    pub reputation_history: Vec<ReputationRow>,
}

/// A badge on a profile.
pub struct BadgeView {
    /// Its name.
    pub name: String,
    /// `bronze`, `silver` or `gold`.
    pub class: String,
    /// What earned it.
    pub description: &'static str,
    /// When it was first earned.
    pub when: Moment,
    /// How many times it was earned (imported sites repeat badges).
    pub times: usize,
}

/// A reputation change on a profile.
pub struct ReputationRow {
    /// "+10", "-2".
    pub amount: String,
    /// Whether it is a gain.
    pub gain: bool,
    /// What happened, in words.
    pub reason: &'static str,
    /// The question it was about.
    pub question: Option<Link>,
    /// When.
    pub when: Moment,
}

/// Words for a ledger kind.
pub fn reputation_reason(kind: &str) -> &'static str {
    match kind {
        "upvote" => "upvoted",
        "upvote_undone" => "upvote withdrawn",
        "downvote" => "downvoted",
        "downvote_cast" => "downvoted an answer",
        "downvote_undone" => "downvote withdrawn",
        "accepted" => "answer accepted",
        "accepting" => "accepted an answer",
        "accept_undone" => "acceptance withdrawn",
        "edit_approved" => "suggested edit approved",
        _ => "reputation changed",
    }
}
