//! What a batch of changes touches, gathered from each kind's
//! [`ChangeKind::reach`](ponder_core::changes::ChangeKind::reach): posts to index
//! again, other posts and comments whose threads changed, and whether every page
//! may be stale.

use ponder_core::changes::Reach;
use ponder_core::{CommentId, PostId};
use ponder_store::Change;

/// What a batch of changes touches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Gathered {
    /// Posts to index again (their threads changed too), in id order, each once.
    pub indexed: Vec<PostId>,
    /// Posts not indexed again whose threads changed, in id order.
    pub threads: Vec<PostId>,
    /// Comments whose threads changed, in id order.
    pub comments: Vec<CommentId>,
    /// Whether some change touches what every page may show.
    pub everything: bool,
}

impl Gathered {
    /// Gathers what `changes` touch. Unknown kinds touch nothing: a newer node may
    /// log kinds an older one does not know, and those still reach pages within
    /// their lifetime.
    pub fn from_changes(changes: &[Change]) -> Self {
        let mut gathered = Self::default();
        for change in changes {
            let id = change.entity_id;
            match change.kind().map(|k| k.reach()) {
                Some(Reach::IndexedPost) => gathered.indexed.push(PostId(id)),
                Some(Reach::Thread) => gathered.threads.push(PostId(id)),
                Some(Reach::Comment) => gathered.comments.push(CommentId(id)),
                Some(Reach::Everything) => gathered.everything = true,
                Some(Reach::Nothing) | None => {}
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

    /// Every post whose thread changed: those indexed again and the others.
    pub fn posts(&self) -> Vec<PostId> {
        let mut posts: Vec<PostId> = self.indexed.iter().chain(&self.threads).copied().collect();
        posts.sort_unstable();
        posts.dedup();
        posts
    }
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
    fn a_batch_gathers_each_id_once_in_order() {
        let gathered = Gathered::from_changes(&[
            change("vote.cast", 7),
            change("post.locked", 3),
            change("vote.cast", 7),
            change("comment.created", 12),
            change("comment.voted", 12),
            change("post.created", 5),
            change("flag.created", 7),
            change("no.such_kind", 99),
        ]);
        assert_eq!(gathered.indexed, [PostId(5), PostId(7)]);
        assert_eq!(gathered.threads, [PostId(3), PostId(7)]);
        assert_eq!(gathered.comments, [CommentId(12)]);
        assert!(!gathered.everything);
        assert_eq!(gathered.posts(), [PostId(3), PostId(5), PostId(7)]);
        assert!(Gathered::from_changes(&[change("user.updated", 2)]).everything);
        assert_eq!(
            Gathered::from_changes(&[change("user.created", 2)]),
            Gathered::default()
        );
    }
}
