//! Who may do what: roles, the privileges reputation earns, and the checks every
//! transport applies before a write. Each check answers `Ok(())` or the
//! [`Refusal`] that says why not, so no handler compares reputation or roles
//! itself. Moderators (and administrators) hold every privilege; everyone else
//! earns them by reputation ([`Privileges`]); an author may always manage their
//! own posts.

use crate::UserId;
use crate::refusal::Refusal;
use crate::reputation::{Privileges, REPUTATION_FLOOR};
use crate::time::Timestamp;
use std::fmt;
use std::str::FromStr;

/// What a user may do beyond what reputation grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// An ordinary member.
    #[default]
    User,
    /// A moderator: may act on any post.
    Moderator,
    /// An administrator: a moderator who also manages users and the site.
    Admin,
}

impl Role {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    /// Whether the role moderates: moderators and administrators.
    pub fn moderates(self) -> bool {
        matches!(self, Self::Moderator | Self::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "user" => Ok(Self::User),
            "moderator" => Ok(Self::Moderator),
            "admin" => Ok(Self::Admin),
            other => Err(format!("unknown role {other:?}")),
        }
    }
}

/// Who is acting, as far as the rules need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// Their id.
    pub id: UserId,
    /// Their role.
    pub role: Role,
    /// Their reputation.
    pub reputation: i64,
}

impl Actor {
    /// Whether they moderate.
    pub fn moderates(&self) -> bool {
        self.role.moderates()
    }

    /// Whether they administer the site.
    pub fn administers(&self) -> bool {
        self.role == Role::Admin
    }

    /// `Ok` for moderators and administrators.
    pub fn require_moderator(&self) -> Result<(), Refusal> {
        ok_or(self.moderates(), Refusal::ModeratorsOnly)
    }

    /// `Ok` for administrators.
    pub fn require_administrator(&self) -> Result<(), Refusal> {
        ok_or(self.administers(), Refusal::AdministratorsOnly)
    }

    /// Whether they may edit, delete or undelete a post by `author`: its author
    /// always, moderators any.
    pub fn manages(&self, author: UserId) -> bool {
        self.id == author || self.moderates()
    }

    /// `Ok` if they may edit, delete or undelete a post by `author`.
    pub fn require_manager(&self, author: UserId) -> Result<(), Refusal> {
        ok_or(self.manages(author), Refusal::AuthorsOnly)
    }
}

/// Whether `actor` (`None` for a visitor) may manage a post by `author`: edit,
/// delete, undelete, roll back, and see it once deleted.
pub fn manages(actor: Option<&Actor>, author: UserId) -> bool {
    actor.is_some_and(|a| a.manages(author))
}

/// `Ok` when `allowed`, else `refusal`.
fn ok_or(allowed: bool, refusal: Refusal) -> Result<(), Refusal> {
    if allowed { Ok(()) } else { Err(refusal) }
}

/// Whether a suspension that ends at `until` still holds at `now`.
pub fn suspended_at(until: Option<Timestamp>, now: Timestamp) -> bool {
    until.is_some_and(|until| until > now)
}

/// A privilege that reputation earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privilege {
    /// Upvote posts and comments.
    VoteUp,
    /// Downvote posts.
    VoteDown,
    /// Comment on anyone's post.
    CommentEverywhere,
    /// Edit others' posts directly, and review suggestions and first posts.
    EditOthers,
    /// Flag posts and comments.
    Flag,
    /// Vote to close questions.
    VoteToClose,
    /// Vote to reopen questions (the same reputation as closing).
    VoteToReopen,
}

impl Privilege {
    /// What it lets one do, as a sentence continues "You need N reputation to …".
    pub fn action(self) -> &'static str {
        match self {
            Self::VoteUp => "vote up",
            Self::VoteDown => "vote down",
            Self::CommentEverywhere => "comment on others' posts",
            Self::EditOthers => "edit others' posts",
            Self::Flag => "flag",
            Self::VoteToClose => "vote to close",
            Self::VoteToReopen => "vote to reopen",
        }
    }
}

impl Privileges {
    /// The reputation `privilege` needs.
    pub fn needed(&self, privilege: Privilege) -> i64 {
        match privilege {
            Privilege::VoteUp => self.vote_up,
            Privilege::VoteDown => self.vote_down,
            Privilege::CommentEverywhere => self.comment_everywhere,
            Privilege::EditOthers => self.edit_others,
            Privilege::Flag => self.flag,
            Privilege::VoteToClose | Privilege::VoteToReopen => self.vote_to_close,
        }
    }

    /// Whether `actor` holds `privilege`: moderators always, others by reputation.
    pub fn holds(&self, actor: &Actor, privilege: Privilege) -> bool {
        actor.moderates() || actor.reputation >= self.needed(privilege)
    }

    /// `Ok` if `actor` holds `privilege`, else how much reputation it needs.
    pub fn check(&self, actor: &Actor, privilege: Privilege) -> Result<(), Refusal> {
        ok_or(
            self.holds(actor, privilege),
            Refusal::ReputationTooLow {
                privilege,
                needed: self.needed(privilege),
                has: actor.reputation,
            },
        )
    }

    /// `Ok` if `actor` may comment on a post by `post_author` under a question by
    /// `question_author`: anywhere with the privilege, and always on their own
    /// posts and on answers to their own questions.
    pub fn check_comment(
        &self,
        actor: &Actor,
        post_author: UserId,
        question_author: UserId,
    ) -> Result<(), Refusal> {
        if actor.id == post_author || actor.id == question_author {
            return Ok(());
        }
        self.check(actor, Privilege::CommentEverywhere)
    }

    /// Whether `actor` edits a post by `author` directly (otherwise the edit
    /// becomes a suggestion): their own posts always, others' with the privilege.
    pub fn edits_directly(&self, actor: &Actor, author: UserId) -> bool {
        actor.id == author || self.holds(actor, Privilege::EditOthers)
    }

    /// `Ok` if `actor` may review suggested edits of a post by `author`: its
    /// author, and anyone who may edit it directly.
    pub fn check_review(&self, actor: &Actor, author: UserId) -> Result<(), Refusal> {
        ok_or(
            self.edits_directly(actor, author),
            Refusal::ReviewersOnly {
                needed: self.edit_others,
            },
        )
    }

    /// `Ok` if `actor` may answer a protected question: moderators, and those
    /// who earned the privilege's reputation on the site (above the floor).
    pub fn check_answer_protected(&self, actor: Option<&Actor>) -> Result<(), Refusal> {
        let earned = actor.map_or(0, |a| a.reputation - REPUTATION_FLOOR);
        ok_or(
            actor.is_some_and(Actor::moderates) || earned >= self.answer_protected,
            Refusal::QuestionProtected {
                needed: self.answer_protected,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, role: Role, reputation: i64) -> Actor {
        Actor {
            id: UserId(id),
            role,
            reputation,
        }
    }

    #[test]
    fn privileges_follow_reputation_one_point_below_is_refused() {
        let p = Privileges::default();
        let cases = [
            (Privilege::VoteUp, 15),
            (Privilege::VoteDown, 125),
            (Privilege::CommentEverywhere, 50),
            (Privilege::EditOthers, 2000),
            (Privilege::Flag, 15),
            (Privilege::VoteToClose, 3000),
            (Privilege::VoteToReopen, 3000),
        ];
        for (privilege, needed) in cases {
            assert_eq!(p.needed(privilege), needed, "{privilege:?}");
            assert_eq!(
                p.check(&actor(1, Role::User, needed - 1), privilege),
                Err(Refusal::ReputationTooLow {
                    privilege,
                    needed,
                    has: needed - 1
                })
            );
            assert_eq!(p.check(&actor(1, Role::User, needed), privilege), Ok(()));
            assert_eq!(p.check(&actor(1, Role::Moderator, 1), privilege), Ok(()));
            assert_eq!(p.check(&actor(1, Role::Admin, 1), privilege), Ok(()));
        }
    }

    #[test]
    fn comments_go_on_own_posts_and_answers_to_own_questions_without_the_privilege() {
        let p = Privileges::default();
        let (me, other) = (UserId(1), UserId(2));
        let newcomer = actor(1, Role::User, 1);
        assert!(p.check_comment(&newcomer, me, other).is_ok(), "own post");
        assert!(
            p.check_comment(&newcomer, other, me).is_ok(),
            "answer to own question"
        );
        assert!(p.check_comment(&newcomer, other, other).is_err());
        assert!(
            p.check_comment(&actor(1, Role::User, 50), other, other)
                .is_ok()
        );
        assert!(
            p.check_comment(&actor(1, Role::User, 49), other, other)
                .is_err()
        );
    }

    #[test]
    fn edits_and_reviews_are_direct_for_authors_and_the_privileged() {
        let p = Privileges::default();
        let (me, other) = (UserId(1), UserId(2));
        assert!(!p.edits_directly(&actor(1, Role::User, 1999), other));
        assert!(p.edits_directly(&actor(1, Role::User, 2000), other));
        assert!(p.edits_directly(&actor(1, Role::User, 1), me));
        assert!(p.edits_directly(&actor(1, Role::Moderator, 1), other));
        assert_eq!(
            p.check_review(&actor(1, Role::User, 1999), other),
            Err(Refusal::ReviewersOnly { needed: 2000 })
        );
        assert_eq!(p.check_review(&actor(1, Role::User, 1), me), Ok(()));
    }

    #[test]
    fn a_protected_question_needs_reputation_earned_on_the_site() {
        let p = Privileges::default();
        let refused = Err(Refusal::QuestionProtected { needed: 10 });
        assert_eq!(p.check_answer_protected(None), refused);
        assert_eq!(
            p.check_answer_protected(Some(&actor(1, Role::User, 10))),
            refused,
            "9 earned above the floor of 1"
        );
        assert_eq!(
            p.check_answer_protected(Some(&actor(1, Role::User, 11))),
            Ok(())
        );
        assert_eq!(
            p.check_answer_protected(Some(&actor(1, Role::Moderator, 1))),
            Ok(())
        );
    }

    #[test]
    fn authors_and_moderators_manage_and_roles_gate_what_they_gate() {
        let author = UserId(1);
        assert!(actor(1, Role::User, 1).manages(author));
        assert_eq!(
            actor(2, Role::User, 1).require_manager(author),
            Err(Refusal::AuthorsOnly)
        );
        assert!(actor(2, Role::Moderator, 1).manages(author));
        assert!(actor(3, Role::Admin, 1).manages(author));
        assert!(manages(Some(&actor(1, Role::User, 1)), author));
        assert!(!manages(Some(&actor(2, Role::User, 1)), author));
        assert!(!manages(None, author));
        assert_eq!(
            actor(2, Role::User, 99_999).require_moderator(),
            Err(Refusal::ModeratorsOnly)
        );
        assert_eq!(actor(2, Role::Moderator, 1).require_moderator(), Ok(()));
        assert_eq!(
            actor(2, Role::Moderator, 1).require_administrator(),
            Err(Refusal::AdministratorsOnly)
        );
        assert_eq!(actor(2, Role::Admin, 1).require_administrator(), Ok(()));
    }

    #[test]
    fn roles_read_back_what_they_write() {
        for role in [Role::User, Role::Moderator, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert!("root".parse::<Role>().is_err());
        assert!(!Role::User.moderates());
        assert!(Role::Moderator.moderates() && Role::Admin.moderates());
    }

    #[test]
    fn a_suspension_holds_until_its_end() {
        assert!(suspended_at(Some(100), 99));
        assert!(!suspended_at(Some(100), 100));
        assert!(!suspended_at(None, 100));
    }
}
