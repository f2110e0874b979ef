//! Who may do what to a post. The server checks these on every action; pages only
//! use them to hide controls a viewer cannot use.

use ponder_core::UserId;
use ponder_store::{Role, User};

/// Whether `user` moderates: moderators and administrators.
pub fn is_moderator(user: &User) -> bool {
    matches!(user.role, Role::Moderator | Role::Admin)
}

/// Whether `viewer` may edit, delete or undelete a post by `author`: its author
/// always, moderators any.
pub fn can_manage(viewer: Option<&User>, author: UserId) -> bool {
    viewer.is_some_and(|v| v.id == author || is_moderator(v))
}

/// Whether `viewer` may see a deleted post by `author`: the same people.
pub fn can_see_deleted(viewer: Option<&User>, author: UserId) -> bool {
    can_manage(viewer, author)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponder_core::markdown::SafeHtml;

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
