//! The kinds of entry in the change log, which every write appends in its own
//! transaction and every follower (the search index, the page cache, and the
//! notifications, mail, webhooks and federation to come) reads at its own pace.
//! Writers and followers share [`ChangeKind`], so no kind is spelled as a string
//! anywhere but here; [`ChangeKind::reach`] says what each one touches.

/// What a change-log entry records. Its entity id is the post, comment, user,
/// category or flag named in each variant's note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A question or an answer was posted (the post).
    PostCreated,
    /// A post was edited, by its author, a reviewer's approval or a rollback (the post).
    PostEdited,
    /// A post was deleted, by its author, a moderator or flags (the post).
    PostDeleted,
    /// A post was undeleted or restored (the post).
    PostUndeleted,
    /// A vote on a post was cast or withdrawn (the post).
    VoteCast,
    /// An answer was accepted or the acceptance withdrawn (the question).
    AnswerAccepted,
    /// A question was closed (the question).
    PostClosed,
    /// A question was reopened (the question).
    PostReopened,
    /// A post was locked (the post).
    PostLocked,
    /// A post was unlocked (the post).
    PostUnlocked,
    /// A question was protected (the question).
    PostProtected,
    /// A question's protection was lifted (the question).
    PostUnprotected,
    /// A comment was posted (the comment).
    CommentCreated,
    /// A comment's upvote was cast or withdrawn (the comment).
    CommentVoted,
    /// A comment that flags hid was restored (its post).
    CommentRestored,
    /// A post or a comment was flagged (the post).
    FlagCreated,
    /// An edit was suggested (the suggestion).
    SuggestionCreated,
    /// A suggested edit was rejected (the suggestion).
    SuggestionRejected,
    /// An account was made (the user).
    UserCreated,
    /// A user's profile, suspension or picture changed (the user).
    UserUpdated,
    /// A user's role changed (the user).
    UserRoleChanged,
    /// A user's password changed (the user).
    UserPasswordChanged,
    /// A user's email was verified (the user).
    UserEmailVerified,
    /// An account was deleted (the user).
    UserDeleted,
    /// A category was made (the category).
    CategoryCreated,
    /// A category was renamed, described, moved, reordered, deleted or merged
    /// into another (the category).
    CategoryUpdated,
    /// A question moved to another place in the category tree, by a move or a
    /// merge of its category (the question).
    QuestionMoved,
    /// A question's tags changed by a tag's rename or merge (the question).
    QuestionRetagged,
    /// A tag's wiki, synonyms or moderator-only mark changed (the tag).
    TagUpdated,
    /// A bulk load (an import) finished (the number of posts it loaded).
    BulkLoaded,
    /// Site settings changed (the administrator who changed them).
    SettingsChanged,
    /// A moderator wrote to a member (the moderation-log entry that holds it).
    UserMessaged,
}

/// What a change touches, as far as pages and the search index are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A post whose indexed text, score, answer count or visibility may have
    /// moved: index it again, and refresh its thread's pages.
    IndexedPost,
    /// A post whose page changed but not what the index holds of it.
    Thread,
    /// A comment, shown on its question's page.
    Comment,
    /// Something many pages show (a user's name or role, the category tree, a
    /// bulk load): every page may be stale.
    Everything,
    /// Nothing a page shows (accounts, suggestions waiting for review).
    Nothing,
}

impl ChangeKind {
    /// Every kind.
    pub const ALL: [Self; 32] = [
        Self::PostCreated,
        Self::PostEdited,
        Self::PostDeleted,
        Self::PostUndeleted,
        Self::VoteCast,
        Self::AnswerAccepted,
        Self::PostClosed,
        Self::PostReopened,
        Self::PostLocked,
        Self::PostUnlocked,
        Self::PostProtected,
        Self::PostUnprotected,
        Self::CommentCreated,
        Self::CommentVoted,
        Self::CommentRestored,
        Self::FlagCreated,
        Self::SuggestionCreated,
        Self::SuggestionRejected,
        Self::UserCreated,
        Self::UserUpdated,
        Self::UserRoleChanged,
        Self::UserPasswordChanged,
        Self::UserEmailVerified,
        Self::UserDeleted,
        Self::CategoryCreated,
        Self::CategoryUpdated,
        Self::QuestionMoved,
        Self::QuestionRetagged,
        Self::TagUpdated,
        Self::BulkLoaded,
        Self::SettingsChanged,
        Self::UserMessaged,
    ];

    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PostCreated => "post.created",
            Self::PostEdited => "post.edited",
            Self::PostDeleted => "post.deleted",
            Self::PostUndeleted => "post.undeleted",
            Self::VoteCast => "vote.cast",
            Self::AnswerAccepted => "answer.accepted",
            Self::PostClosed => "post.closed",
            Self::PostReopened => "post.reopened",
            Self::PostLocked => "post.locked",
            Self::PostUnlocked => "post.unlocked",
            Self::PostProtected => "post.protected",
            Self::PostUnprotected => "post.unprotected",
            Self::CommentCreated => "comment.created",
            Self::CommentVoted => "comment.voted",
            Self::CommentRestored => "comment.restored",
            Self::FlagCreated => "flag.created",
            Self::SuggestionCreated => "suggestion.created",
            Self::SuggestionRejected => "suggestion.rejected",
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::UserRoleChanged => "user.role_changed",
            Self::UserPasswordChanged => "user.password_changed",
            Self::UserEmailVerified => "user.email_verified",
            Self::UserDeleted => "user.deleted",
            Self::CategoryCreated => "category.created",
            Self::CategoryUpdated => "category.updated",
            Self::QuestionMoved => "question.moved",
            Self::QuestionRetagged => "question.retagged",
            Self::TagUpdated => "tag.updated",
            Self::BulkLoaded => "bulk.loaded",
            Self::SettingsChanged => "settings.changed",
            Self::UserMessaged => "user.messaged",
        }
    }

    /// The kind stored as `name`; `None` for a kind this version does not know
    /// (a newer node may log kinds an older one does not).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// What a change of this kind touches.
    pub fn reach(self) -> Reach {
        match self {
            Self::PostCreated
            | Self::PostEdited
            | Self::PostDeleted
            | Self::PostUndeleted
            | Self::VoteCast
            | Self::AnswerAccepted
            | Self::QuestionMoved
            | Self::QuestionRetagged => Reach::IndexedPost,
            // A flag that hides a post deletes it too, which is logged on its own.
            Self::PostClosed
            | Self::PostReopened
            | Self::PostLocked
            | Self::PostUnlocked
            | Self::PostProtected
            | Self::PostUnprotected
            | Self::CommentRestored
            | Self::FlagCreated => Reach::Thread,
            Self::CommentCreated | Self::CommentVoted => Reach::Comment,
            Self::UserUpdated
            | Self::UserRoleChanged
            | Self::UserDeleted
            | Self::CategoryCreated
            | Self::CategoryUpdated
            | Self::TagUpdated
            | Self::BulkLoaded
            | Self::SettingsChanged => Reach::Everything,
            Self::SuggestionCreated
            | Self::SuggestionRejected
            | Self::UserCreated
            | Self::UserPasswordChanged
            | Self::UserEmailVerified
            | Self::UserMessaged => Reach::Nothing,
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_what_it_writes_and_names_are_unique() {
        let mut names: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.to_string(), kind.as_str());
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ChangeKind::ALL.len());
        assert_eq!(ChangeKind::parse("post.teleported"), None);
        assert_eq!(ChangeKind::parse(""), None);
    }

    #[test]
    fn each_kind_reaches_what_its_pages_show() {
        use ChangeKind as K;
        let cases = [
            (K::PostCreated, Reach::IndexedPost),
            (K::PostEdited, Reach::IndexedPost),
            (K::PostDeleted, Reach::IndexedPost),
            (K::PostUndeleted, Reach::IndexedPost),
            (K::VoteCast, Reach::IndexedPost),
            (K::AnswerAccepted, Reach::IndexedPost),
            (K::PostClosed, Reach::Thread),
            (K::PostReopened, Reach::Thread),
            (K::PostLocked, Reach::Thread),
            (K::PostUnlocked, Reach::Thread),
            (K::PostProtected, Reach::Thread),
            (K::PostUnprotected, Reach::Thread),
            (K::CommentRestored, Reach::Thread),
            (K::FlagCreated, Reach::Thread),
            (K::CommentCreated, Reach::Comment),
            (K::CommentVoted, Reach::Comment),
            (K::UserUpdated, Reach::Everything),
            (K::UserRoleChanged, Reach::Everything),
            (K::UserDeleted, Reach::Everything),
            (K::CategoryCreated, Reach::Everything),
            (K::CategoryUpdated, Reach::Everything),
            (K::QuestionMoved, Reach::IndexedPost),
            (K::QuestionRetagged, Reach::IndexedPost),
            (K::TagUpdated, Reach::Everything),
            (K::BulkLoaded, Reach::Everything),
            (K::SettingsChanged, Reach::Everything),
            (K::SuggestionCreated, Reach::Nothing),
            (K::SuggestionRejected, Reach::Nothing),
            (K::UserCreated, Reach::Nothing),
            (K::UserPasswordChanged, Reach::Nothing),
            (K::UserEmailVerified, Reach::Nothing),
            (K::UserMessaged, Reach::Nothing),
        ];
        assert_eq!(cases.len(), ChangeKind::ALL.len());
        for (kind, reach) in cases {
            assert_eq!(kind.reach(), reach, "{kind}");
        }
    }
}
