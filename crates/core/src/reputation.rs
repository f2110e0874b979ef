//! Reputation and privileges: how many points each event is worth, and how many
//! points each action needs. The defaults are Stack Exchange's, which communities
//! know; a site can change any of them.

/// Points per event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReputationRules {
    /// To the author of a question that is upvoted.
    pub question_upvoted: i64,
    /// To the author of an answer that is upvoted.
    pub answer_upvoted: i64,
    /// To the author of a post that is downvoted (negative).
    pub downvoted: i64,
    /// To a user who downvotes an answer (negative).
    pub downvoting_answer: i64,
    /// To the author of an accepted answer.
    pub answer_accepted: i64,
    /// To the asker who accepts an answer.
    pub accepting: i64,
    /// To the author of an approved suggested edit.
    pub edit_approved: i64,
    /// The most a user earns from upvotes in one UTC day.
    pub daily_vote_cap: i64,
}

impl Default for ReputationRules {
    fn default() -> Self {
        Self {
            question_upvoted: 10,
            answer_upvoted: 10,
            downvoted: -2,
            downvoting_answer: -1,
            answer_accepted: 15,
            accepting: 2,
            edit_approved: 2,
            daily_vote_cap: 200,
        }
    }
}

/// The lowest reputation anyone can have.
pub const REPUTATION_FLOOR: i64 = 1;

/// Reputation needed for each privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Privileges {
    /// Upvote posts and comments.
    pub vote_up: i64,
    /// Comment on anyone's post (one may always comment on one's own posts and on
    /// answers to one's own questions).
    pub comment_everywhere: i64,
    /// Downvote posts.
    pub vote_down: i64,
    /// Edit others' posts directly; below it an edit becomes a suggestion.
    pub edit_others: i64,
}

impl Default for Privileges {
    fn default() -> Self {
        Self {
            vote_up: 15,
            comment_everywhere: 50,
            vote_down: 125,
            edit_others: 2000,
        }
    }
}

/// The day number (days since 1970-01-01, UTC) of a timestamp, for the daily cap.
pub fn utc_day(ts: crate::time::Timestamp) -> i64 {
    ts.div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_stack_exchanges() {
        let r = ReputationRules::default();
        assert_eq!(
            (
                r.question_upvoted,
                r.answer_upvoted,
                r.downvoted,
                r.downvoting_answer
            ),
            (10, 10, -2, -1)
        );
        assert_eq!(
            (r.answer_accepted, r.accepting, r.daily_vote_cap),
            (15, 2, 200)
        );
        let p = Privileges::default();
        assert_eq!(
            (p.vote_up, p.comment_everywhere, p.vote_down, p.edit_others),
            (15, 50, 125, 2000)
        );
    }

    #[test]
    fn days_are_utc() {
        assert_eq!(utc_day(0), 0);
        assert_eq!(utc_day(86_399), 0);
        assert_eq!(utc_day(86_400), 1);
        assert_eq!(utc_day(-1), -1);
    }
}
