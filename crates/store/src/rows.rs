//! Column lists and row mapping shared by the backends.
//!
//! Each backend writes its own SQL, but the rows it selects for users, posts,
//! comments and categories have the same columns in the same order, named by the
//! macros here, and are turned into the types of [`crate::types`] by the functions
//! here through [`RowAccess`], which each backend implements for its row type in a
//! few lines. So a column added to a row is added in one place.

use crate::error::{StoreError, StoreResult};
use crate::types::*;
use ponder_core::markdown::SafeHtml;
use ponder_core::{CategoryId, CommentId, PostId, UserId};

/// Reads one column of a result row by position.
pub trait RowAccess {
    /// An integer column.
    fn int(&self, idx: usize) -> StoreResult<i64>;
    /// A nullable integer column.
    fn opt_int(&self, idx: usize) -> StoreResult<Option<i64>>;
    /// A text column.
    fn text(&self, idx: usize) -> StoreResult<String>;
    /// A nullable text column.
    fn opt_text(&self, idx: usize) -> StoreResult<Option<String>>;
}

/// The columns of a [`UserRef`] for the users table aliased `u` (4 columns).
#[macro_export]
macro_rules! user_ref_columns {
    () => {
        "u.id, u.display_name, u.reputation, u.deleted_at"
    };
}

/// The columns of a [`UserRef`] for the author of a post aliased `p` (or a comment,
/// `c`), in the users table aliased `u`: as [`user_ref_columns`], but with the name
/// an import gave a post whose account was not in the dump (4 columns).
#[macro_export]
macro_rules! author_ref_columns {
    ($of:literal) => {
        concat!(
            "u.id, coalesce(",
            $of,
            ".owner_name, u.display_name), u.reputation, u.deleted_at"
        )
    };
}

/// The columns of a [`User`] from the users table aliased `u` ([`USER_COLUMNS`]
/// of them); the twelfth is when an import made the account, while it is
/// unclaimed, then the profile's location and website.
#[macro_export]
macro_rules! user_columns {
    () => {
        "u.id, u.handle, u.display_name, u.about_html, u.reputation, u.role, u.created_at, u.deleted_at, u.about_markdown, u.suspended_until, u.suspension_reason, CASE WHEN u.claimed_at IS NULL THEN u.imported_at END, u.location, u.website_url"
    };
}

/// How many columns [`user_columns`] names; what a query selects after them
/// starts at this index.
pub const USER_COLUMNS: usize = 14;

/// The columns of a [`Category`] from the categories table aliased `c` (6 columns).
#[macro_export]
macro_rules! category_columns {
    () => {
        "c.id, c.parent_id, c.slug, c.name, c.description, c.position"
    };
}

/// How many columns [`post_columns`] names; what a query selects after them
/// starts at this index.
pub const POST_COLUMNS: usize = 25;

/// The columns of a [`Post`] from posts aliased `p` joined to its body in
/// post_bodies as `b` and to its author as `u` (21 post columns, the licence
/// last of them, then the 4 of [`author_ref_columns`]).
#[macro_export]
macro_rules! post_columns {
    () => {
        concat!(
            "p.id, p.kind, p.title, b.body_markdown, b.body_html, p.score, p.created_at, ",
            "p.edited_at, p.last_activity_at, p.comment_count, p.answer_count, p.view_count, ",
            "p.accepted_answer_id, p.category_id, p.deleted_at, ",
            "p.closed_at, p.close_reason, p.duplicate_of, p.locked_at, p.protected_at, p.licence, ",
            $crate::author_ref_columns!("p")
        )
    };
}

/// What [`post_columns`] reads from: posts as `p`, joined to its body as `b` and to
/// its author as `u`.
#[macro_export]
macro_rules! post_tables {
    () => {
        " FROM posts p JOIN post_bodies b ON b.post_id = p.id JOIN users u ON u.id = p.author_id"
    };
}

/// The columns of a [`QuestionSummary`] (without tags) from posts aliased `p`
/// joined to its author as `u` (9 columns, then the 4 of [`author_ref_columns`]).
#[macro_export]
macro_rules! question_summary_columns {
    () => {
        concat!(
            "p.id, p.title, p.score, p.answer_count, p.view_count, p.accepted_answer_id, ",
            "p.created_at, p.last_activity_at, p.category_id, ",
            $crate::author_ref_columns!("p")
        )
    };
}

/// The columns of a [`Comment`] from comments aliased `c` joined to its author as
/// `u` (5 columns, then the 4 of [`author_ref_columns`]).
#[macro_export]
macro_rules! comment_columns {
    () => {
        concat!(
            "c.id, c.post_id, c.body_html, c.score, c.created_at, ",
            $crate::author_ref_columns!("c")
        )
    };
}

/// Reads a [`UserRef`] starting at column `at`.
pub fn user_ref(row: &impl RowAccess, at: usize) -> StoreResult<UserRef> {
    Ok(UserRef {
        id: UserId(row.int(at)?),
        display_name: row.text(at + 1)?,
        reputation: row.int(at + 2)?,
        deleted: row.opt_int(at + 3)?.is_some(),
    })
}

/// Reads a [`User`] from [`user_columns`].
pub fn user(row: &impl RowAccess) -> StoreResult<User> {
    Ok(User {
        id: UserId(row.int(0)?),
        handle: row.text(1)?,
        display_name: row.text(2)?,
        about_html: SafeHtml::from_trusted_storage(row.text(3)?),
        reputation: row.int(4)?,
        role: row
            .text(5)?
            .parse()
            .map_err(|e: String| StoreError::Database(e.into()))?,
        created_at: row.int(6)?,
        deleted: row.opt_int(7)?.is_some(),
        about_markdown: row.text(8)?,
        suspended_until: row.opt_int(9)?,
        suspension_reason: row.text(10)?,
        unclaimed: row.opt_int(11)?.is_some(),
        location: row.opt_text(12)?,
        website_url: row.opt_text(13)?,
    })
}

/// Reads a [`LoginRecord`]: [`user_columns`] then email, email_verified_at and
/// password_hash.
pub fn login_record(row: &impl RowAccess) -> StoreResult<LoginRecord> {
    Ok(LoginRecord {
        user: user(row)?,
        email: row.opt_text(USER_COLUMNS)?,
        email_verified: row.opt_int(USER_COLUMNS + 1)?.is_some(),
        password_hash: row.opt_text(USER_COLUMNS + 2)?,
    })
}

/// Reads a [`SessionInfo`]: [`user_columns`] then csrf_token and expires_at.
pub fn session_info(row: &impl RowAccess) -> StoreResult<SessionInfo> {
    Ok(SessionInfo {
        user: user(row)?,
        csrf_token: row.text(USER_COLUMNS)?,
        expires_at: row.int(USER_COLUMNS + 1)?,
        last_seen_at: row.int(USER_COLUMNS + 2)?,
        unread: row.int(USER_COLUMNS + 3)?,
    })
}

/// Reads a [`Category`] from [`category_columns`].
pub fn category(row: &impl RowAccess) -> StoreResult<Category> {
    Ok(Category {
        id: CategoryId(row.int(0)?),
        parent_id: row.opt_int(1)?.map(CategoryId),
        slug: row.text(2)?,
        name: row.text(3)?,
        description: row.text(4)?,
        position: row.int(5)?,
    })
}

/// Reads a [`Post`] from [`post_columns`].
pub fn post(row: &impl RowAccess) -> StoreResult<Post> {
    let kind = match row.text(1)?.as_str() {
        "question" => PostKind::Question,
        "answer" => PostKind::Answer,
        other => {
            return Err(StoreError::Database(
                format!("unknown post kind {other:?}").into(),
            ));
        }
    };
    Ok(Post {
        id: PostId(row.int(0)?),
        kind,
        title: row.text(2)?,
        body_markdown: row.text(3)?,
        body_html: SafeHtml::from_trusted_storage(row.text(4)?),
        score: row.int(5)?,
        created_at: row.int(6)?,
        edited_at: row.opt_int(7)?,
        last_activity_at: row.int(8)?,
        comment_count: row.int(9)?,
        answer_count: row.int(10)?,
        view_count: row.int(11)?,
        accepted_answer_id: row.opt_int(12)?.map(PostId),
        category_id: row.opt_int(13)?.map(CategoryId),
        deleted: row.opt_int(14)?.is_some(),
        closed_reason: match row.opt_int(15)? {
            Some(_) => Some(row.text(16)?),
            None => None,
        },
        duplicate_of: row.opt_int(17)?.map(PostId),
        locked: row.opt_int(18)?.is_some(),
        protected: row.opt_int(19)?.is_some(),
        licence: row.opt_text(20)?,
        author: user_ref(row, 21)?,
    })
}

/// Reads a [`QuestionSummary`] from [`question_summary_columns`], with no tags yet.
pub fn question_summary(row: &impl RowAccess) -> StoreResult<QuestionSummary> {
    Ok(QuestionSummary {
        id: PostId(row.int(0)?),
        title: row.text(1)?,
        score: row.int(2)?,
        answer_count: row.int(3)?,
        view_count: row.int(4)?,
        has_accepted_answer: row.opt_int(5)?.is_some(),
        created_at: row.int(6)?,
        last_activity_at: row.int(7)?,
        category_id: CategoryId(row.int(8)?),
        author: user_ref(row, 9)?,
        tags: Vec::new(),
    })
}

/// Reads a [`Comment`] from [`comment_columns`].
pub fn comment(row: &impl RowAccess) -> StoreResult<Comment> {
    Ok(Comment {
        id: CommentId(row.int(0)?),
        post_id: PostId(row.int(1)?),
        body_html: SafeHtml::from_trusted_storage(row.text(2)?),
        score: row.int(3)?,
        created_at: row.int(4)?,
        author: user_ref(row, 5)?,
    })
}

/// The columns of a [`Revision`] from revisions aliased `r` joined to its editor as
/// `u` (7 columns, then the 4 of [`user_ref_columns`], the name an import kept for a departed editor in place of the display name); the number is computed.
#[macro_export]
macro_rules! revision_columns {
    () => {
        concat!(
            "r.id, r.title, r.body_markdown, r.tags, r.summary, r.created_at, ",
            "(SELECT COUNT(*) FROM revisions e WHERE e.post_id = r.post_id AND e.id <= r.id), ",
            // An imported editor whose account the dump lacked keeps their name.
            "u.id, coalesce(r.editor_name, u.display_name), u.reputation, u.deleted_at"
        )
    };
}

/// Reads a [`Revision`] from [`revision_columns`].
pub fn revision(row: &impl RowAccess) -> StoreResult<Revision> {
    Ok(Revision {
        id: row.int(0)?,
        title: row.text(1)?,
        body_markdown: row.text(2)?,
        tags: row.text(3)?.split_whitespace().map(str::to_owned).collect(),
        summary: row.text(4)?,
        created_at: row.int(5)?,
        number: row.int(6)?,
        editor: user_ref(row, 7)?,
    })
}

/// Puts `(post id, tag name)` pairs, in order, onto the summaries they belong to.
pub fn attach_tags(summaries: &mut [QuestionSummary], tags: Vec<(i64, String)>) {
    for (post_id, name) in tags {
        if let Some(s) = summaries.iter_mut().find(|s| s.id.0 == post_id) {
            s.tags.push(name);
        }
    }
}

/// A JSON array of ids, `[1,2,3]`, for backends that pass a list as one parameter.
pub fn json_id_list(ids: impl IntoIterator<Item = i64>) -> String {
    let parts: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    format!("[{}]", parts.join(","))
}
