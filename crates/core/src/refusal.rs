//! Why a write was refused: a [`Refusal`] names the rule that said no, with a
//! stable snake_case code for programs ([`Refusal::code`]) and a sentence for
//! people (its `Display`). The rules in [`crate::rules`] and the store's checks
//! inside its transactions both answer with one, so every transport (a form, the
//! JSON API, a remote server) refuses the same way; [`Refusal::class`] says which
//! kind of no it is, which a transport maps to its status in one place.

use crate::rules::Privilege;
use crate::time::{DateTime, Timestamp};
use crate::{PostId, UserId};

/// The kind of a refusal, which decides its HTTP status (403, 404, 409, 422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalClass {
    /// The actor may not do this (403).
    Forbidden,
    /// What the write names does not exist, or no longer (404).
    NotFound,
    /// The thing is not in a state that allows it, often because another write
    /// came first (409).
    Conflict,
    /// The input breaks a rule whatever the state (422).
    Invalid,
}

/// A write the rules refuse, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The actor's reputation is below what the privilege needs.
    ReputationTooLow {
        /// The privilege.
        privilege: Privilege,
        /// The reputation it needs.
        needed: i64,
        /// The actor's reputation.
        has: i64,
    },
    /// A protected question needs reputation earned on the site to answer.
    QuestionProtected {
        /// The reputation earned on the site it needs.
        needed: i64,
    },
    /// Only moderators (and administrators) may do this.
    ModeratorsOnly,
    /// Only administrators may do this.
    AdministratorsOnly,
    /// Only the author of the post (or a moderator) may do this.
    AuthorsOnly,
    /// Only the person who asked may accept an answer.
    AskersOnly,
    /// Only the post's author and those who may edit it directly review its
    /// suggested edits.
    ReviewersOnly {
        /// The reputation that lets anyone review.
        needed: i64,
    },
    /// A suggestion is reviewed by someone other than the one who made it.
    OwnSuggestion,
    /// The actor's account is suspended.
    Suspended {
        /// When the suspension ends.
        until: Timestamp,
        /// Why it was suspended.
        reason: String,
    },
    /// A suspended account may read a question but not answer it.
    SuspendedCannotAnswer,
    /// Moderators are not suspended; their role changes first.
    ModeratorNotSuspended,
    /// Votes go on others' posts only.
    OwnPostVote,
    /// Votes go on others' comments only.
    OwnCommentVote,
    /// Flags go on others' posts only.
    OwnPostFlag,
    /// Flags go on others' comments only.
    OwnCommentFlag,
    /// "Not an answer" is a flag for answers only.
    NotAnAnswerFlagOnQuestion,
    /// The question is closed and takes no answers.
    QuestionClosed,
    /// The question is locked.
    QuestionLocked,
    /// The post is locked and takes no votes.
    PostLocked,
    /// The post is locked and takes no comments.
    PostLockedForComments,
    /// The post is locked and its comments take no votes.
    PostLockedForCommentVotes,
    /// The post is locked and takes no edits.
    PostLockedForEdits,
    /// The post is locked and only a moderator deletes or undeletes it.
    PostLockedForDeletion,
    /// A deleted post is undeleted before it is edited.
    PostDeleted,
    /// Flags hid the post; only a moderator's Restore brings it back.
    HiddenByFlags,
    /// A moderator deleted the post; only a moderator undeletes it.
    DeletedByModerator,
    /// Restore is for what flags hid, and this post was not.
    PostNotHiddenByFlags,
    /// Restore is for what flags hid, and this comment was not.
    CommentNotHiddenByFlags,
    /// Only questions are closed and reopened.
    OnlyQuestionsClose,
    /// The question is closed already.
    AlreadyClosed,
    /// The question is open already.
    AlreadyOpen,
    /// A question cannot be closed as a duplicate of itself.
    DuplicateOfItself,
    /// The question named as the original does not exist.
    NoSuchOriginal {
        /// The id given.
        original: PostId,
    },
    /// Answers go under questions, and this post is an answer.
    AnswerToAnswer {
        /// The answer named as the question.
        post: PostId,
    },
    /// The post is not an answer to this question (or is deleted).
    NotAnAnswerTo {
        /// The post named.
        post: PostId,
        /// The question.
        question: PostId,
    },
    /// The actor did this already (a second flag, a second close vote).
    AlreadyDone,
    /// The suggestion or first post was reviewed already.
    AlreadyReviewed,
    /// The flag was handled already.
    FlagHandledAlready,
    /// A post has at most one suggested edit waiting.
    SuggestionPending {
        /// The display name of the one who suggested it.
        by: String,
    },
    /// A post has at most one suggested edit waiting, and another came first.
    AnotherSuggestionWaiting,
    /// The post changed since the actor read it (another edit came first).
    ChangedMeanwhile {
        /// The newest revision's id now.
        current: i64,
    },
    /// The password given is not the account's.
    WrongPassword,
    /// A sibling category has this address already.
    CategorySlugTaken {
        /// The address.
        slug: String,
    },
    /// The parent category named does not exist.
    NoSuchCategory,
    /// A sibling category has this name already.
    CategoryNameTaken {
        /// The name.
        name: String,
    },
    /// A category cannot go under itself or one of its descendants.
    CategoryCycle,
    /// A category that holds questions or categories is deleted only by merging
    /// it into another.
    CategoryNotEmpty {
        /// Questions filed in it.
        questions: i64,
        /// Categories under it.
        children: i64,
    },
    /// A category cannot be merged into itself or one of its descendants.
    CategoryMergeIntoItself,
    /// The invitation is used up, expired or withdrawn.
    InvitationNotValid,
    /// A site keeps at least one administrator.
    LastAdministrator,
    /// A tag cannot be merged into itself.
    TagMergeIntoItself,
    /// Only moderators put this tag on questions.
    ModeratorOnlyTag {
        /// The tag.
        tag: String,
    },
    /// An administrator's account is deleted only once it is an administrator's
    /// no longer.
    AdministratorNotDeleted,
    /// The member follows this already, at this level.
    AlreadyFollowing,
    /// The member does not follow this.
    NotFollowing,
    /// The thing to follow does not exist (or no longer).
    NothingToFollow,
    /// The member has no such inbox item (another member's is not theirs to read).
    NoSuchNotice,
    /// The user does not exist, or no longer.
    NoSuchUser {
        /// The id given.
        user: UserId,
    },
}

impl Refusal {
    /// The stable code programs match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ReputationTooLow { .. } => "reputation_too_low",
            Self::QuestionProtected { .. } => "question_protected",
            Self::ModeratorsOnly => "moderators_only",
            Self::AdministratorsOnly => "administrators_only",
            Self::AuthorsOnly => "authors_only",
            Self::AskersOnly => "askers_only",
            Self::ReviewersOnly { .. } => "reviewers_only",
            Self::OwnSuggestion => "own_suggestion",
            Self::Suspended { .. } | Self::SuspendedCannotAnswer => "account_suspended",
            Self::ModeratorNotSuspended => "moderator_not_suspended",
            Self::OwnPostVote => "own_post_vote",
            Self::OwnCommentVote => "own_comment_vote",
            Self::OwnPostFlag => "own_post_flag",
            Self::OwnCommentFlag => "own_comment_flag",
            Self::NotAnAnswerFlagOnQuestion => "not_an_answer_flag_on_question",
            Self::QuestionClosed => "question_closed",
            Self::QuestionLocked => "question_locked",
            Self::PostLocked
            | Self::PostLockedForComments
            | Self::PostLockedForCommentVotes
            | Self::PostLockedForEdits
            | Self::PostLockedForDeletion => "post_locked",
            Self::PostDeleted => "post_deleted",
            Self::HiddenByFlags => "hidden_by_flags",
            Self::DeletedByModerator => "deleted_by_moderator",
            Self::PostNotHiddenByFlags | Self::CommentNotHiddenByFlags => "not_hidden_by_flags",
            Self::OnlyQuestionsClose => "only_questions_close",
            Self::AlreadyClosed => "already_closed",
            Self::AlreadyOpen => "already_open",
            Self::DuplicateOfItself => "duplicate_of_itself",
            Self::NoSuchOriginal { .. } => "no_such_original",
            Self::AnswerToAnswer { .. } => "answer_to_answer",
            Self::NotAnAnswerTo { .. } => "not_an_answer_to",
            Self::AlreadyDone => "already_done",
            Self::AlreadyReviewed => "already_reviewed",
            Self::FlagHandledAlready => "flag_handled_already",
            Self::SuggestionPending { .. } | Self::AnotherSuggestionWaiting => "suggestion_pending",
            Self::ChangedMeanwhile { .. } => "changed_meanwhile",
            Self::WrongPassword => "wrong_password",
            Self::CategorySlugTaken { .. } => "category_slug_taken",
            Self::NoSuchCategory => "no_such_category",
            Self::CategoryNameTaken { .. } => "category_name_taken",
            Self::CategoryCycle => "category_cycle",
            Self::CategoryNotEmpty { .. } => "category_not_empty",
            Self::CategoryMergeIntoItself => "category_merge_into_itself",
            Self::InvitationNotValid => "invitation_not_valid",
            Self::LastAdministrator => "last_administrator",
            Self::TagMergeIntoItself => "tag_merge_into_itself",
            Self::ModeratorOnlyTag { .. } => "moderator_only_tag",
            Self::AdministratorNotDeleted => "administrator_not_deleted",
            Self::NoSuchUser { .. } => "no_such_user",
            Self::AlreadyFollowing => "already_following",
            Self::NotFollowing => "not_following",
            Self::NothingToFollow => "nothing_to_follow",
            Self::NoSuchNotice => "no_such_notice",
        }
    }

    /// Which kind of no this is.
    pub fn class(&self) -> RefusalClass {
        match self {
            Self::AlreadyDone
            | Self::AlreadyReviewed
            | Self::FlagHandledAlready
            | Self::SuggestionPending { .. }
            | Self::AnotherSuggestionWaiting
            | Self::ChangedMeanwhile { .. }
            | Self::PostDeleted => RefusalClass::Conflict,
            Self::NoSuchOriginal { .. }
            | Self::AnswerToAnswer { .. }
            | Self::NotAnAnswerTo { .. } => RefusalClass::Invalid,
            Self::NoSuchUser { .. }
            | Self::NoSuchCategory
            | Self::NothingToFollow
            | Self::NoSuchNotice => RefusalClass::NotFound,
            Self::AlreadyFollowing | Self::NotFollowing => RefusalClass::Conflict,
            Self::CategorySlugTaken { .. } | Self::CategoryNameTaken { .. } => {
                RefusalClass::Conflict
            }
            Self::CategoryCycle | Self::CategoryNotEmpty { .. } | Self::CategoryMergeIntoItself => {
                RefusalClass::Invalid
            }
            Self::InvitationNotValid | Self::LastAdministrator => RefusalClass::Conflict,
            Self::TagMergeIntoItself => RefusalClass::Invalid,
            _ => RefusalClass::Forbidden,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ReputationTooLow {
                privilege,
                needed,
                has,
            } => match privilege {
                Privilege::CommentEverywhere => write!(
                    f,
                    "You need {needed} reputation to comment on others' posts; you can always comment on your own posts and on answers to your questions."
                ),
                Privilege::EditOthers => write!(
                    f,
                    "The review queue opens at {needed} reputation; you have {has}."
                ),
                _ => write!(
                    f,
                    "You need {needed} reputation to {}; you have {has}.",
                    privilege.action()
                ),
            },
            Self::QuestionProtected { needed } => write!(
                f,
                "This question is protected: answering it needs {needed} reputation earned on this site."
            ),
            Self::ModeratorsOnly => f.write_str("Only moderators can do this."),
            Self::AdministratorsOnly => f.write_str("Only administrators can see this page."),
            Self::AuthorsOnly => f.write_str("Only the author and moderators can change this post."),
            Self::AskersOnly => f.write_str("Only the person who asked can accept an answer."),
            Self::ReviewersOnly { needed } => write!(
                f,
                "Only the author of the post and users with {needed} reputation can review its suggested edits."
            ),
            Self::OwnSuggestion => f.write_str("You cannot review your own suggestion."),
            Self::Suspended { until, reason } => write!(
                f,
                "Your account is suspended until {} (UTC): {reason}. You can read, but not post, edit, vote, comment or flag.",
                DateTime::from_timestamp(*until).human()
            ),
            Self::SuspendedCannotAnswer => {
                f.write_str("Your account is suspended: you can read, but not answer.")
            }
            Self::ModeratorNotSuspended => f.write_str(
                "Moderators are not suspended; an administrator can change their role first.",
            ),
            Self::OwnPostVote => f.write_str("You cannot vote on your own post."),
            Self::OwnCommentVote => f.write_str("You cannot vote on your own comment."),
            Self::OwnPostFlag => f.write_str("You cannot flag your own post."),
            Self::OwnCommentFlag => f.write_str("You cannot flag your own comment."),
            Self::NotAnAnswerFlagOnQuestion => {
                f.write_str("Only an answer can be flagged as not an answer.")
            }
            Self::QuestionClosed => f.write_str("This question is closed and takes no new answers."),
            Self::QuestionLocked => f.write_str("This question is locked."),
            Self::PostLocked => f.write_str("This post is locked."),
            Self::PostLockedForComments => {
                f.write_str("This post is locked; it takes no new comments.")
            }
            Self::PostLockedForCommentVotes => {
                f.write_str("This post is locked; its comments take no votes.")
            }
            Self::PostLockedForEdits => f.write_str("This post is locked; a moderator can unlock it."),
            Self::PostLockedForDeletion => f.write_str(
                "This post is locked: only a moderator can delete or undelete it.",
            ),
            Self::PostDeleted => {
                f.write_str("A deleted post cannot be edited; undelete it first.")
            }
            Self::HiddenByFlags => f.write_str(
                "Flags hid this post: only a moderator can bring it back, with Restore, which also gives back its author's reputation.",
            ),
            Self::DeletedByModerator => {
                f.write_str("A moderator deleted this post: only a moderator can undelete it.")
            }
            Self::PostNotHiddenByFlags => f.write_str("This post was not hidden by flags."),
            Self::CommentNotHiddenByFlags => f.write_str("This comment was not hidden by flags."),
            Self::OnlyQuestionsClose => f.write_str("Only questions are closed and reopened."),
            Self::AlreadyClosed => f.write_str("This question is closed already."),
            Self::AlreadyOpen => f.write_str("This question is open."),
            Self::DuplicateOfItself => f.write_str("A question cannot duplicate itself."),
            Self::NoSuchOriginal { original } => {
                write!(f, "There is no question {original} to be the original.")
            }
            Self::AnswerToAnswer { post } => {
                write!(f, "Post {post} is an answer; answers go under questions.")
            }
            Self::NotAnAnswerTo { post, question } => {
                write!(f, "Post {post} is not an answer to question {question}.")
            }
            Self::AlreadyDone => f.write_str("You did that already."),
            Self::AlreadyReviewed => f.write_str("This was reviewed already."),
            Self::FlagHandledAlready => f.write_str("That flag was handled already."),
            Self::SuggestionPending { by } => write!(
                f,
                "An edit of this post suggested by {by} is waiting for review; it can have one at a time. Try again once it is reviewed."
            ),
            Self::AnotherSuggestionWaiting => f.write_str(
                "Another suggested edit of this post is waiting for review. Try again once it is reviewed.",
            ),
            Self::ChangedMeanwhile { .. } => f.write_str(
                "The post changed while you were looking at it. Reload it and try again.",
            ),
            Self::WrongPassword => f.write_str("That is not your password."),
            Self::CategorySlugTaken { slug } => write!(
                f,
                "A category beside this one has the address “{slug}” already; choose another."
            ),
            Self::NoSuchCategory => f.write_str("There is no such category."),
            Self::CategoryNameTaken { name } => write!(
                f,
                "A category beside this one is named “{name}” already; choose another name."
            ),
            Self::CategoryCycle => f.write_str(
                "A category cannot go under itself or under a category inside it; choose another parent.",
            ),
            Self::CategoryNotEmpty {
                questions,
                children,
            } => write!(
                f,
                "This category holds {} and {}; choose a category to merge them into.",
                crate::text::count(*questions, "question", "questions"),
                crate::text::count(*children, "category", "categories")
            ),
            Self::CategoryMergeIntoItself => f.write_str(
                "A category cannot be merged into itself or into a category inside it; choose another.",
            ),
            Self::TagMergeIntoItself => f.write_str("A tag cannot be merged into itself."),
            Self::ModeratorOnlyTag { tag } => write!(
                f,
                "Only moderators put the tag “{tag}” on questions; remove it or choose another."
            ),
            Self::LastAdministrator => f.write_str(
                "This is the site's last administrator; make another administrator first.",
            ),
            Self::AdministratorNotDeleted => f.write_str(
                "An administrator's account cannot be deleted here; change its role first.",
            ),
            Self::InvitationNotValid => f.write_str(
                "This invitation no longer works: it was used up, it expired, or it was withdrawn. Ask for a new one.",
            ),
            Self::NoSuchUser { user } => write!(f, "There is no user {user}."),
            Self::AlreadyFollowing => f.write_str("You follow this already."),
            Self::NotFollowing => f.write_str("You do not follow this, so there is nothing to unfollow."),
            Self::NothingToFollow => f.write_str("There is nothing by that name to follow: it may have been deleted."),
            Self::NoSuchNotice => f.write_str("Your inbox has no such item."),
        }
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_sentences_end_with_a_full_stop() {
        let samples = [
            Refusal::ReputationTooLow {
                privilege: Privilege::VoteDown,
                needed: 125,
                has: 3,
            },
            Refusal::ReputationTooLow {
                privilege: Privilege::CommentEverywhere,
                needed: 50,
                has: 3,
            },
            Refusal::QuestionProtected { needed: 10 },
            Refusal::Suspended {
                until: 1_767_225_600,
                reason: "spam".into(),
            },
            Refusal::NoSuchOriginal {
                original: PostId(9),
            },
            Refusal::NotAnAnswerTo {
                post: PostId(3),
                question: PostId(1),
            },
            Refusal::AlreadyDone,
            Refusal::PostLockedForEdits,
            Refusal::CategoryNameTaken {
                name: "Rust".into(),
            },
            Refusal::CategoryCycle,
            Refusal::CategoryNotEmpty {
                questions: 3,
                children: 1,
            },
            Refusal::CategoryMergeIntoItself,
            Refusal::InvitationNotValid,
            Refusal::LastAdministrator,
            Refusal::AdministratorNotDeleted,
            Refusal::TagMergeIntoItself,
            Refusal::ModeratorOnlyTag { tag: "meta".into() },
            Refusal::AlreadyFollowing,
            Refusal::NotFollowing,
            Refusal::NothingToFollow,
            Refusal::NoSuchNotice,
        ];
        for refusal in samples {
            let code = refusal.code();
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
            let sentence = refusal.to_string();
            assert!(sentence.ends_with('.'), "{sentence}");
            assert!(sentence.starts_with(char::is_uppercase), "{sentence}");
        }
    }

    #[test]
    fn administration_refusals_have_the_status_of_their_kind() {
        for (refusal, class) in [
            (Refusal::NoSuchCategory, RefusalClass::NotFound),
            (
                Refusal::CategorySlugTaken { slug: "a".into() },
                RefusalClass::Conflict,
            ),
            (
                Refusal::CategoryNameTaken { name: "A".into() },
                RefusalClass::Conflict,
            ),
            (Refusal::CategoryCycle, RefusalClass::Invalid),
            (
                Refusal::CategoryNotEmpty {
                    questions: 1,
                    children: 0,
                },
                RefusalClass::Invalid,
            ),
            (Refusal::CategoryMergeIntoItself, RefusalClass::Invalid),
            (Refusal::InvitationNotValid, RefusalClass::Conflict),
            (Refusal::LastAdministrator, RefusalClass::Conflict),
            (Refusal::AdministratorNotDeleted, RefusalClass::Forbidden),
            (Refusal::AlreadyFollowing, RefusalClass::Conflict),
            (Refusal::NotFollowing, RefusalClass::Conflict),
            (Refusal::NothingToFollow, RefusalClass::NotFound),
            (Refusal::NoSuchNotice, RefusalClass::NotFound),
        ] {
            assert_eq!(refusal.class(), class, "{refusal}");
        }
        assert_eq!(
            Refusal::CategoryNotEmpty {
                questions: 1,
                children: 2
            }
            .to_string(),
            "This category holds 1 question and 2 categories; choose a category to merge them into."
        );
    }

    #[test]
    fn each_refusal_says_its_numbers() {
        let low = Refusal::ReputationTooLow {
            privilege: Privilege::VoteDown,
            needed: 125,
            has: 3,
        };
        assert_eq!(
            low.to_string(),
            "You need 125 reputation to vote down; you have 3."
        );
        assert_eq!(low.class(), RefusalClass::Forbidden);
        let comment = Refusal::ReputationTooLow {
            privilege: Privilege::CommentEverywhere,
            needed: 50,
            has: 3,
        };
        assert_eq!(
            comment.to_string(),
            "You need 50 reputation to comment on others' posts; you can always comment on your own posts and on answers to your questions."
        );
        let review = Refusal::ReputationTooLow {
            privilege: Privilege::EditOthers,
            needed: 2000,
            has: 11,
        };
        assert_eq!(
            review.to_string(),
            "The review queue opens at 2000 reputation; you have 11."
        );
        let suspended = Refusal::Suspended {
            until: 1_767_225_600,
            reason: "spam".into(),
        };
        assert!(suspended.to_string().contains("spam"), "{suspended}");
        assert!(suspended.to_string().contains("2026"), "{suspended}");
        let original = Refusal::NoSuchOriginal {
            original: PostId(9),
        };
        assert_eq!(
            original.to_string(),
            "There is no question 9 to be the original."
        );
        assert_eq!(original.class(), RefusalClass::Invalid);
    }

    #[test]
    fn races_conflict_and_missing_users_are_not_found() {
        assert_eq!(Refusal::AlreadyDone.class(), RefusalClass::Conflict);
        assert_eq!(Refusal::PostDeleted.class(), RefusalClass::Conflict);
        assert_eq!(
            Refusal::ChangedMeanwhile { current: 3 }.class(),
            RefusalClass::Conflict
        );
        assert_eq!(
            Refusal::NoSuchUser { user: UserId(4) }.class(),
            RefusalClass::NotFound
        );
        assert_eq!(Refusal::QuestionClosed.class(), RefusalClass::Forbidden);
        assert_eq!(Refusal::OwnPostVote.code(), "own_post_vote");
    }
}
