//! What each kind of change-log entry asks of a follower: which posts to index
//! again, which threads' pages to refresh, and when every page may be stale.

use ponder_core::changes::{ChangeKind, Reach};
use ponder_core::{CommentId, PostId};
use ponder_store::Change;

/// What one change-log entry touches, with the id it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Touches {
    /// A post to index again; its thread's pages changed.
    IndexedPost(PostId),
    /// A post whose thread's pages changed, but not what the index holds of it.
    Thread(PostId),
    /// A comment, shown on its question's page.
    Comment(CommentId),
    /// Every page may be stale.
    Everything,
    /// Nothing a page shows.
    Nothing,
}

/// What `change` touches ([`ChangeKind::reach`]). Unknown kinds touch nothing: a
/// newer node may log kinds an older one does not know, and those still reach
/// pages within their lifetime.
pub(crate) fn touches(change: &Change) -> Touches {
    let id = change.entity_id;
    match change.kind().map(ChangeKind::reach) {
        Some(Reach::IndexedPost) => Touches::IndexedPost(PostId(id)),
        Some(Reach::Thread) => Touches::Thread(PostId(id)),
        Some(Reach::Comment) => Touches::Comment(CommentId(id)),
        Some(Reach::Everything) => Touches::Everything,
        Some(Reach::Nothing) | None => Touches::Nothing,
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
