//! What each kind of change-log entry asks of a follower: which posts to index
//! again, which threads' pages to refresh, and when every page may be stale.

use ponder_core::{CommentId, PostId};
use ponder_store::Change;

/// What one change-log entry touches, as far as a follower is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Touches {
    /// A post whose indexed text, score, answer count or visibility may have moved:
    /// index it (and so its thread) again, and refresh its thread's pages.
    IndexedPost(PostId),
    /// A post whose page changed but not what the index holds of it (closed,
    /// locked, protected, a comment under it hidden by flags or restored).
    Thread(PostId),
    /// A comment, shown on its question's page.
    Comment(CommentId),
    /// Something many pages show (a user's name or role, the category tree, a
    /// bulk load): every page may be stale.
    Everything,
    /// Nothing on a page but lists, if that (accounts, suggestions waiting for review).
    Nothing,
}

/// What `change` touches. Unknown kinds touch nothing: a newer node may log kinds
/// an older one does not know, and those still reach pages within their lifetime.
pub(crate) fn touches(change: &Change) -> Touches {
    let post = PostId(change.entity_id);
    match change.kind.as_str() {
        "post.created" | "post.edited" | "post.deleted" | "post.undeleted" | "vote.cast"
        | "answer.accepted" => Touches::IndexedPost(post),
        // A flag that hides a post deletes it too, which is logged on its own.
        "post.closed" | "post.reopened" | "post.locked" | "post.unlocked" | "post.protected"
        | "post.unprotected" | "comment.restored" | "flag.created" => Touches::Thread(post),
        "comment.created" | "comment.voted" => Touches::Comment(CommentId(change.entity_id)),
        "user.updated" | "user.role_changed" | "user.deleted" | "category.created"
        | "bulk.loaded" => Touches::Everything,
        _ => Touches::Nothing,
    }
}

/// What a batch of changes touches, gathered: posts to index again (whose
/// documents name their questions), other posts and comments whose threads
/// changed, and whether every page may be stale.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Gathered {
    /// Posts to index again, in id order, each once.
    pub indexed: Vec<PostId>,
    /// Posts not indexed again whose threads changed, in id order.
    pub threads: Vec<PostId>,
    /// Comments whose threads changed, in id order.
    pub comments: Vec<CommentId>,
    /// Whether some change touches what every page may show.
    pub everything: bool,
}

/// Gathers what `changes` touch.
pub(crate) fn gather(changes: &[Change]) -> Gathered {
    let mut gathered = Gathered::default();
    for change in changes {
        match touches(change) {
            Touches::IndexedPost(post) => gathered.indexed.push(post),
            Touches::Thread(post) => gathered.threads.push(post),
            Touches::Comment(comment) => gathered.comments.push(comment),
            Touches::Everything => gathered.everything = true,
            Touches::Nothing => {}
        }
    }
    for ids in [&mut gathered.indexed, &mut gathered.threads] {
        ids.sort_unstable();
        ids.dedup();
    }
    gathered.comments.sort_unstable();
    gathered.comments.dedup();
    gathered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: &str, entity_id: i64) -> Change {
        Change {
            id: 1,
            kind: kind.into(),
            entity_id,
            created_at: 0,
        }
    }

    #[test]
    fn each_kind_touches_what_its_entity_is() {
        assert_eq!(
            touches(&change("post.edited", 4)),
            Touches::IndexedPost(PostId(4))
        );
        assert_eq!(
            touches(&change("flag.created", 4)),
            Touches::Thread(PostId(4)),
            "a flag may hide a comment under its post"
        );
        assert_eq!(
            touches(&change("post.closed", 4)),
            Touches::Thread(PostId(4))
        );
        assert_eq!(
            touches(&change("comment.created", 9)),
            Touches::Comment(CommentId(9))
        );
        assert_eq!(touches(&change("user.updated", 2)), Touches::Everything);
        assert_eq!(touches(&change("user.created", 2)), Touches::Nothing);
        assert_eq!(touches(&change("no.such_kind", 2)), Touches::Nothing);
    }

    #[test]
    fn a_batch_gathers_each_id_once_in_order() {
        let gathered = gather(&[
            change("vote.cast", 7),
            change("post.locked", 3),
            change("vote.cast", 7),
            change("comment.created", 12),
            change("comment.voted", 12),
            change("post.created", 5),
        ]);
        assert_eq!(gathered.indexed, [PostId(5), PostId(7)]);
        assert_eq!(gathered.threads, [PostId(3)]);
        assert_eq!(gathered.comments, [CommentId(12)]);
        assert!(!gathered.everything);
        assert!(gather(&[change("category.created", 1)]).everything);
        assert_eq!(gather(&[]), Gathered::default());
    }
}
