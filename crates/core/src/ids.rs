//! Typed ids. Questions and answers share one id space (`PostId`), as in Stack
//! Exchange's data model, so imported ids survive and votes, comments and revisions
//! point at one kind of thing.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A user's id.
    UserId
);
id_type!(
    /// A post's id: a question or an answer.
    PostId
);
id_type!(
    /// A category's id.
    CategoryId
);
id_type!(
    /// A comment's id.
    CommentId
);
id_type!(
    /// A tag's id.
    TagId
);
