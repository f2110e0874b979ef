//! The badges: a small set, each earned by one kind of event, never taken back.

/// A badge's class, as on Stack Exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeClass {
    /// Common, for first steps.
    Bronze,
    /// Less common.
    Silver,
    /// Rare.
    Gold,
}

impl BadgeClass {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bronze => "bronze",
            Self::Silver => "silver",
            Self::Gold => "gold",
        }
    }
}

/// A badge and what earns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadgeKind {
    /// Its name.
    pub name: &'static str,
    /// Its class.
    pub class: BadgeClass,
    /// What earns it.
    pub description: &'static str,
}

/// Asked a first question.
pub const STUDENT: BadgeKind = BadgeKind {
    name: "Student",
    class: BadgeClass::Bronze,
    description: "Asked a first question.",
};
/// Posted a first answer.
pub const TEACHER: BadgeKind = BadgeKind {
    name: "Teacher",
    class: BadgeClass::Bronze,
    description: "Posted a first answer.",
};
/// Had an answer accepted.
pub const SCHOLAR: BadgeKind = BadgeKind {
    name: "Scholar",
    class: BadgeClass::Bronze,
    description: "Had an answer accepted for the first time.",
};
/// Cast a first upvote.
pub const SUPPORTER: BadgeKind = BadgeKind {
    name: "Supporter",
    class: BadgeClass::Bronze,
    description: "Cast a first upvote.",
};
/// Cast a first downvote.
pub const CRITIC: BadgeKind = BadgeKind {
    name: "Critic",
    class: BadgeClass::Bronze,
    description: "Cast a first downvote.",
};
/// An answer reached a score of 10.
pub const NICE_ANSWER: BadgeKind = BadgeKind {
    name: "Nice Answer",
    class: BadgeClass::Silver,
    description: "An answer reached a score of 10.",
};
/// A question reached a score of 10.
pub const NICE_QUESTION: BadgeKind = BadgeKind {
    name: "Nice Question",
    class: BadgeClass::Silver,
    description: "A question reached a score of 10.",
};
/// Had an edit suggestion approved.
pub const EDITOR: BadgeKind = BadgeKind {
    name: "Editor",
    class: BadgeClass::Bronze,
    description: "Improved someone else's post: an edit suggestion was approved.",
};

/// The score a post needs for [`NICE_ANSWER`] or [`NICE_QUESTION`].
pub const NICE_SCORE: i64 = 10;

/// Every badge, for lookups by name.
pub const ALL: [BadgeKind; 8] = [
    STUDENT,
    TEACHER,
    SCHOLAR,
    SUPPORTER,
    CRITIC,
    NICE_ANSWER,
    NICE_QUESTION,
    EDITOR,
];

/// A badge by name.
pub fn by_name(name: &str) -> Option<BadgeKind> {
    ALL.into_iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for b in ALL {
            assert_eq!(by_name(b.name), Some(b));
            assert_eq!(ALL.iter().filter(|o| o.name == b.name).count(), 1);
        }
        assert_eq!(by_name("nope"), None);
    }
}
