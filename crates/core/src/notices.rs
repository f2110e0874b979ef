//! The inbox's words: the kinds of item a member is told of ([`NoticeKind`]),
//! what a member may follow ([`FollowKind`], [`FollowLevel`]) and the `@handle`
//! mentions a comment makes ([`mentions`]). Who gets which item is decided where
//! the change feed is read; this module only names things and says them.

use crate::text::count;

/// What an inbox item tells its member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// A new answer to my question.
    Answer,
    /// A comment on my post.
    Comment,
    /// A comment that mentions me where I commented too: a reply to me.
    Reply,
    /// A comment that mentions me.
    Mention,
    /// My answer was accepted.
    Accepted,
    /// Someone else edited my post.
    Edited,
    /// Someone suggested an edit to my post.
    SuggestedEdit,
    /// My suggested edit was approved.
    SuggestionApproved,
    /// My suggested edit was rejected.
    SuggestionRejected,
    /// My question was closed.
    Closed,
    /// My question was reopened.
    Reopened,
    /// My post was locked.
    Locked,
    /// My post was unlocked.
    Unlocked,
    /// My post was deleted by someone else.
    Deleted,
    /// My post was undeleted or restored by someone else.
    Restored,
    /// A moderator wrote to me.
    ModeratorMessage,
    /// A new answer to a question I follow.
    FollowedAnswer,
    /// A new comment in a question I follow.
    FollowedComment,
    /// A new question in a tag, a category or by a user I follow.
    NewQuestion,
}

impl NoticeKind {
    /// Every kind.
    pub const ALL: [Self; 19] = [
        Self::Answer,
        Self::Comment,
        Self::Reply,
        Self::Mention,
        Self::Accepted,
        Self::Edited,
        Self::SuggestedEdit,
        Self::SuggestionApproved,
        Self::SuggestionRejected,
        Self::Closed,
        Self::Reopened,
        Self::Locked,
        Self::Unlocked,
        Self::Deleted,
        Self::Restored,
        Self::ModeratorMessage,
        Self::FollowedAnswer,
        Self::FollowedComment,
        Self::NewQuestion,
    ];

    /// The name stored with the item.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::Comment => "comment",
            Self::Reply => "reply",
            Self::Mention => "mention",
            Self::Accepted => "accepted",
            Self::Edited => "edited",
            Self::SuggestedEdit => "suggested_edit",
            Self::SuggestionApproved => "suggestion_approved",
            Self::SuggestionRejected => "suggestion_rejected",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
            Self::Locked => "locked",
            Self::Unlocked => "unlocked",
            Self::Deleted => "deleted",
            Self::Restored => "restored",
            Self::ModeratorMessage => "moderator_message",
            Self::FollowedAnswer => "followed_answer",
            Self::FollowedComment => "followed_comment",
            Self::NewQuestion => "new_question",
        }
    }

    /// The kind stored as `name`; `None` for one this version does not know.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether the item is about the member's own content or addressed to them
    /// (mailed at once to those who ask for it), rather than about what they follow.
    pub fn is_direct(self) -> bool {
        matches!(
            self,
            Self::Answer | Self::Reply | Self::Mention | Self::ModeratorMessage
        )
    }

    /// The headline of an item that stands for `n` events (at least one).
    pub fn headline(self, n: i64) -> String {
        let n = n.max(1);
        let many = |singular: &str, plural: &str, one: &str| {
            if n == 1 {
                one.to_owned()
            } else {
                count(n, singular, plural)
            }
        };
        match self {
            Self::Answer => many("new answer", "new answers", "New answer") + " to your question",
            Self::Comment => many("new comment", "new comments", "New comment") + " on your post",
            Self::Reply => many("reply", "replies", "Reply") + " to you in the comments",
            Self::Mention => {
                many("mention", "mentions", "You were mentioned")
                    + if n == 1 {
                        " in a comment"
                    } else {
                        " of you in comments"
                    }
            }
            Self::Accepted => "Your answer was accepted".to_owned(),
            Self::Edited => {
                many("edit", "edits", "Your post was edited")
                    + if n == 1 {
                        ""
                    } else {
                        " of your post by others"
                    }
            }
            Self::SuggestedEdit => {
                many("suggested edit", "suggested edits", "An edit was suggested") + " to your post"
            }
            Self::SuggestionApproved => "Your suggested edit was approved".to_owned(),
            Self::SuggestionRejected => "Your suggested edit was rejected".to_owned(),
            Self::Closed => "Your question was closed".to_owned(),
            Self::Reopened => "Your question was reopened".to_owned(),
            Self::Locked => "Your post was locked".to_owned(),
            Self::Unlocked => "Your post was unlocked".to_owned(),
            Self::Deleted => "Your post was deleted".to_owned(),
            Self::Restored => "Your post was restored".to_owned(),
            Self::ModeratorMessage => "A message from the moderators".to_owned(),
            Self::FollowedAnswer => {
                many("new answer", "new answers", "New answer") + " to a question you follow"
            }
            Self::FollowedComment => {
                many("new comment", "new comments", "New comment") + " on a question you follow"
            }
            Self::NewQuestion => "New question in what you follow".to_owned(),
        }
    }
}

impl std::fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a member can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FollowKind {
    /// A question: its new answers and comments.
    Question,
    /// A tag: new questions tagged with it.
    Tag,
    /// A category: new questions in it or below it.
    Category,
    /// A user: the questions they ask.
    User,
}

impl FollowKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [Self::Question, Self::Tag, Self::Category, Self::User];

    /// The name stored and used in addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Tag => "tag",
            Self::Category => "category",
            Self::User => "user",
        }
    }

    /// The kind named `name`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// Where what a member follows reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FollowLevel {
    /// New activity comes to the inbox (and the digest).
    #[default]
    Inbox,
    /// New activity comes only to the mailed digest.
    Digest,
}

impl FollowLevel {
    /// The name stored and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbox => "inbox",
            Self::Digest => "digest",
        }
    }

    /// The level named `name`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "inbox" => Some(Self::Inbox),
            "digest" => Some(Self::Digest),
            _ => None,
        }
    }
}

/// How often a member's digest of what they follow is mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DigestFrequency {
    /// Never.
    Off,
    /// Once a day.
    Daily,
    /// Once a week.
    #[default]
    Weekly,
}

impl DigestFrequency {
    /// Every choice.
    pub const ALL: [Self; 3] = [Self::Off, Self::Daily, Self::Weekly];

    /// The name stored and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }

    /// The choice named `name`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Seconds between two digests; `None` when off.
    pub fn period(self) -> Option<i64> {
        match self {
            Self::Off => None,
            Self::Daily => Some(86_400),
            Self::Weekly => Some(7 * 86_400),
        }
    }
}

/// The kinds of mail the inbox sends, each unsubscribed from on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    /// One direct item: an answer to my question, a mention, a moderator's message.
    Direct,
    /// The digest of what I follow.
    Digest,
}

impl MailKind {
    /// The name stored in the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Digest => "digest",
        }
    }

    /// The kind named `name`; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "direct" => Some(Self::Direct),
            "digest" => Some(Self::Digest),
            _ => None,
        }
    }
}

/// What mail a member wants from the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailPreferences {
    /// Immediate mail for direct items (off when `false`).
    pub direct: bool,
    /// The digest's frequency.
    pub digest: DigestFrequency,
}

impl MailPreferences {
    /// A new member's: immediate mail on, a weekly digest.
    pub const DEFAULT: Self = Self {
        direct: true,
        digest: DigestFrequency::Weekly,
    };
}

/// The most people one comment can mention: the rest are plain text.
pub const MENTIONS_PER_COMMENT: usize = 5;

/// The handles a comment's Markdown mentions, `@handle`, lower-cased, each once, in
/// order, at most [`MENTIONS_PER_COMMENT`]. An `@` counts only at the start or after
/// a character that cannot end a word (so an email address mentions nobody), and
/// not inside `code`. Trailing dots and dashes are punctuation, not the handle's.
pub fn mentions(markdown: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut in_code = false;
    for (at, c) in markdown.char_indices() {
        if c == '`' {
            in_code = !in_code;
        } else if c == '@'
            && !in_code
            && let Some(handle) = mention_at(markdown, at)
        {
            let handle = handle.to_ascii_lowercase();
            if !found.contains(&handle) {
                found.push(handle);
                if found.len() == MENTIONS_PER_COMMENT {
                    break;
                }
            }
        }
    }
    found
}

/// The handle that the `@` at byte `at` of `text` mentions, as typed, if it is a
/// mention: the `@` starts the text or follows a character that cannot end a
/// handle, and the handle starts with a letter or digit. Trailing dots and dashes
/// are punctuation, not the handle's. The one rule for notices and for links.
pub fn mention_at(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?;
    if before.chars().next_back().is_some_and(is_handle_char) {
        return None;
    }
    let rest = text.get(at..)?.strip_prefix('@')?;
    let end = rest
        .find(|ch: char| !is_handle_char(ch))
        .unwrap_or(rest.len());
    let handle = rest[..end].trim_end_matches(['.', '-']);
    handle
        .starts_with(|ch: char| ch.is_ascii_alphanumeric())
        .then_some(handle)
}

/// Whether `c` may be part of a handle.
fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._-".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_what_they_write() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        let mut names: Vec<_> = NoticeKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NoticeKind::ALL.len());
        assert_eq!(NoticeKind::parse("poke"), None);
        for kind in FollowKind::ALL {
            assert_eq!(FollowKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(FollowKind::parse("planet"), None);
        assert_eq!(FollowLevel::parse("digest"), Some(FollowLevel::Digest));
        assert_eq!(FollowLevel::parse("inbox"), Some(FollowLevel::Inbox));
        assert_eq!(FollowLevel::parse("Inbox"), None);
        assert_eq!(FollowLevel::Digest.as_str(), "digest");
    }

    #[test]
    fn mail_choices_read_back_what_they_write() {
        for frequency in DigestFrequency::ALL {
            assert_eq!(DigestFrequency::parse(frequency.as_str()), Some(frequency));
        }
        assert_eq!(DigestFrequency::parse("hourly"), None);
        assert_eq!(DigestFrequency::Off.period(), None);
        assert_eq!(DigestFrequency::Daily.period(), Some(86_400));
        assert_eq!(DigestFrequency::Weekly.period(), Some(604_800));
        for kind in [MailKind::Direct, MailKind::Digest] {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MailKind::parse("spam"), None);
        assert_eq!(
            MailPreferences::DEFAULT,
            MailPreferences {
                direct: true,
                digest: DigestFrequency::Weekly
            }
        );
    }

    #[test]
    fn direct_items_are_the_ones_addressed_to_the_member() {
        let direct: Vec<_> = NoticeKind::ALL
            .into_iter()
            .filter(|k| k.is_direct())
            .collect();
        assert_eq!(
            direct,
            [
                NoticeKind::Answer,
                NoticeKind::Reply,
                NoticeKind::Mention,
                NoticeKind::ModeratorMessage
            ]
        );
    }

    #[test]
    fn headlines_count_what_they_group() {
        assert_eq!(
            NoticeKind::Answer.headline(1),
            "New answer to your question"
        );
        assert_eq!(
            NoticeKind::Answer.headline(3),
            "3 new answers to your question"
        );
        assert_eq!(
            NoticeKind::Answer.headline(0),
            "New answer to your question"
        );
        assert_eq!(
            NoticeKind::Comment.headline(2),
            "2 new comments on your post"
        );
        assert_eq!(
            NoticeKind::Mention.headline(1),
            "You were mentioned in a comment"
        );
        assert_eq!(
            NoticeKind::Mention.headline(2),
            "2 mentions of you in comments"
        );
        assert_eq!(
            NoticeKind::FollowedAnswer.headline(2),
            "2 new answers to a question you follow"
        );
        assert_eq!(NoticeKind::Accepted.headline(1), "Your answer was accepted");
        assert_eq!(NoticeKind::Edited.headline(1), "Your post was edited");
        assert_eq!(
            NoticeKind::Edited.headline(2),
            "2 edits of your post by others"
        );
        for kind in NoticeKind::ALL {
            assert!(!kind.headline(1).is_empty());
            assert!(!kind.headline(4).is_empty());
        }
    }

    #[test]
    fn mentions_are_handles_after_an_at_sign() {
        assert_eq!(mentions("@alice thanks"), ["alice"]);
        assert_eq!(mentions("thanks @Bob."), ["bob"]);
        assert_eq!(mentions("(@carol) and @dave-"), ["carol", "dave"]);
        assert_eq!(mentions("@a.b_c-d works"), ["a.b_c-d"]);
        assert_eq!(mentions("@alice @ALICE @alice"), ["alice"]);
        assert!(mentions("mail me at x@example.com").is_empty());
        assert!(mentions("`@alice` in code").is_empty());
        assert_eq!(mentions("`code` then @erin"), ["erin"]);
        assert!(mentions("@ alone, @-dash, @.dot, @").is_empty());
        assert!(mentions("").is_empty());
        assert_eq!(
            mentions("@h1 @h2 @h3 @h4 @h5 @h6 @h7").len(),
            MENTIONS_PER_COMMENT
        );
        assert_eq!(mentions("@é @ok"), ["ok"]);
    }
}
