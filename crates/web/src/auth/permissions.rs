//! Who may do what to a post. The server checks these on every action; pages only
//! use them to hide controls a viewer cannot use. Moderators hold every privilege;
//! everyone else earns them by reputation (`ponder_core::reputation::Privileges`).

use ponder_core::UserId;
use ponder_core::reputation::Privileges;
use ponder_store::{Role, User, VoteValue};

/// Whether `user` moderates: moderators and administrators.
pub fn is_moderator(user: &User) -> bool {
    matches!(user.role, Role::Moderator | Role::Admin)
}

/// Whether `viewer` may edit, delete or undelete a post by `author`: its author
/// always, moderators any.
pub fn can_manage(viewer: Option<&User>, author: UserId) -> bool {
    viewer.is_some_and(|v| v.id == author || is_moderator(v))
}

/// Whether `user` has `threshold` reputation, or moderates.
fn earned(user: &User, threshold: i64) -> bool {
    is_moderator(user) || user.reputation >= threshold
}

/// Why `user` may not cast `vote`, if they may not.
pub fn vote_refusal(user: &User, vote: VoteValue, privileges: &Privileges) -> Option<String> {
    let (needed, what) = match vote {
        VoteValue::Up => (privileges.vote_up, "vote up"),
        VoteValue::Down => (privileges.vote_down, "vote down"),
        VoteValue::None => return None,
    };
    (!earned(user, needed)).then(|| {
        format!(
            "You need {needed} reputation to {what}; you have {}.",
            user.reputation
        )
    })
}

/// Whether `user` may comment on a post by `post_author` under a question by
/// `question_author`: anywhere with the privilege, and always on one's own posts and
/// on answers to one's own questions.
pub fn can_comment(
    user: &User,
    post_author: UserId,
    question_author: UserId,
    privileges: &Privileges,
) -> bool {
    user.id == post_author
        || user.id == question_author
        || earned(user, privileges.comment_everywhere)
}

/// Whether `user` edits a post by `author` directly (otherwise the edit becomes a
/// suggestion): their own posts always, others' with the privilege.
pub fn edits_directly(user: &User, author: UserId, privileges: &Privileges) -> bool {
    user.id == author || earned(user, privileges.edit_others)
}

/// Whether `user` may review suggested edits of a post by `author`: its author, and
/// anyone who may edit it directly.
pub fn can_review(user: &User, author: UserId, privileges: &Privileges) -> bool {
    edits_directly(user, author, privileges)
}

/// Whether `viewer` may see a deleted post by `author`: the same people.
pub fn can_see_deleted(viewer: Option<&User>, author: UserId) -> bool {
    can_manage(viewer, author)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponder_core::markdown::SafeHtml;

    fn user_with(id: i64, role: Role, reputation: i64) -> User {
        User {
            reputation,
            ..user(id, role)
        }
    }

    #[test]
    fn privileges_follow_reputation_one_point_below_is_refused() {
        let p = Privileges::default();
        assert!(vote_refusal(&user_with(1, Role::User, 14), VoteValue::Up, &p).is_some());
        assert!(vote_refusal(&user_with(1, Role::User, 15), VoteValue::Up, &p).is_none());
        assert!(vote_refusal(&user_with(1, Role::User, 124), VoteValue::Down, &p).is_some());
        assert!(vote_refusal(&user_with(1, Role::User, 125), VoteValue::Down, &p).is_none());
        assert!(vote_refusal(&user_with(1, Role::User, 1), VoteValue::None, &p).is_none());
        assert!(vote_refusal(&user_with(1, Role::Moderator, 1), VoteValue::Down, &p).is_none());
        let (me, other) = (UserId(1), UserId(2));
        assert!(!can_comment(
            &user_with(1, Role::User, 49),
            other,
            other,
            &p
        ));
        assert!(can_comment(&user_with(1, Role::User, 50), other, other, &p));
        assert!(
            can_comment(&user_with(1, Role::User, 1), me, other, &p),
            "own post"
        );
        assert!(
            can_comment(&user_with(1, Role::User, 1), other, me, &p),
            "answer to own question"
        );
        assert!(!edits_directly(&user_with(1, Role::User, 1999), other, &p));
        assert!(edits_directly(&user_with(1, Role::User, 2000), other, &p));
        assert!(edits_directly(&user_with(1, Role::User, 1), me, &p));
    }

    fn user(id: i64, role: Role) -> User {
        User {
            id: UserId(id),
            handle: format!("u{id}"),
            display_name: format!("U{id}"),
            about_html: SafeHtml::default(),
            about_markdown: String::new(),
            reputation: 1,
            role,
            created_at: 0,
            deleted: false,
            suspended_until: None,
            suspension_reason: String::new(),
        }
    }

    #[test]
    fn authors_and_moderators_manage() {
        let author = UserId(1);
        assert!(can_manage(Some(&user(1, Role::User)), author));
        assert!(!can_manage(Some(&user(2, Role::User)), author));
        assert!(can_manage(Some(&user(2, Role::Moderator)), author));
        assert!(can_manage(Some(&user(3, Role::Admin)), author));
        assert!(!can_manage(None, author));
        assert!(!can_see_deleted(None, author));
    }
}
