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
    /// Edit others' posts directly (and review suggestions and first posts); below
    /// it an edit becomes a suggestion.
    pub edit_others: i64,
    /// Flag posts and comments.
    pub flag: i64,
    /// Vote to close and reopen questions.
    pub vote_to_close: i64,
    /// Reputation earned on the site (above the starting 1) to answer a protected question.
    pub answer_protected: i64,
}

impl Default for Privileges {
    fn default() -> Self {
        Self {
            vote_up: 15,
            comment_everywhere: 50,
            vote_down: 125,
            edit_others: 2000,
            flag: 15,
            vote_to_close: 3000,
            answer_protected: 10,
        }
    }
}

/// Applies `key=value` overrides, comma-separated, to `fields` (name and slot).
fn apply_overrides(spec: &str, fields: &mut [(&str, &mut i64)]) -> Result<(), String> {
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("“{part}” is not key=value"))?;
        let value: i64 = value.trim().parse().map_err(|_| {
            format!(
                "“{}” for {} is not a whole number",
                value.trim(),
                key.trim()
            )
        })?;
        let known: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        let slot = fields
            .iter_mut()
            .find(|(name, _)| *name == key.trim())
            .ok_or_else(|| format!("unknown key “{}”: use {}", key.trim(), known.join(", ")))?;
        *slot.1 = value;
    }
    Ok(())
}

impl ReputationRules {
    /// The defaults with `key=value,...` overrides, e.g. `daily_vote_cap=300`.
    pub fn with_overrides(spec: &str) -> Result<Self, String> {
        let mut r = Self::default();
        apply_overrides(
            spec,
            &mut [
                ("question_upvoted", &mut r.question_upvoted),
                ("answer_upvoted", &mut r.answer_upvoted),
                ("downvoted", &mut r.downvoted),
                ("downvoting_answer", &mut r.downvoting_answer),
                ("answer_accepted", &mut r.answer_accepted),
                ("accepting", &mut r.accepting),
                ("edit_approved", &mut r.edit_approved),
                ("daily_vote_cap", &mut r.daily_vote_cap),
            ],
        )?;
        Ok(r)
    }
}

impl Privileges {
    /// The defaults with `key=value,...` overrides, e.g. `vote_down=50,edit_others=1000`.
    pub fn with_overrides(spec: &str) -> Result<Self, String> {
        let mut p = Self::default();
        apply_overrides(
            spec,
            &mut [
                ("vote_up", &mut p.vote_up),
                ("comment_everywhere", &mut p.comment_everywhere),
                ("vote_down", &mut p.vote_down),
                ("edit_others", &mut p.edit_others),
                ("flag", &mut p.flag),
                ("vote_to_close", &mut p.vote_to_close),
                ("answer_protected", &mut p.answer_protected),
            ],
        )?;
        Ok(p)
    }
}

/// How moderation by the community works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModerationRules {
    /// Votes that close (or reopen) a question; a moderator's one vote always does.
    pub close_votes: i64,
    /// Spam or rude flags that hide a post or comment; a moderator's one flag always does.
    pub spam_flags: i64,
    /// Reputation a post's author loses when flags hide it.
    pub spam_penalty: i64,
}

impl Default for ModerationRules {
    fn default() -> Self {
        Self {
            close_votes: 3,
            spam_flags: 6,
            spam_penalty: 100,
        }
    }
}

impl ModerationRules {
    /// The defaults with `key=value,...` overrides, e.g. `close_votes=5`.
    pub fn with_overrides(spec: &str) -> Result<Self, String> {
        let mut m = Self::default();
        apply_overrides(
            spec,
            &mut [
                ("close_votes", &mut m.close_votes),
                ("spam_flags", &mut m.spam_flags),
                ("spam_penalty", &mut m.spam_penalty),
            ],
        )?;
        m.close_votes = m.close_votes.max(1);
        m.spam_flags = m.spam_flags.max(1);
        Ok(m)
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
    fn overrides_change_only_what_they_name() {
        let r = ReputationRules::with_overrides("daily_vote_cap=300, answer_upvoted=5").unwrap();
        assert_eq!(
            (r.daily_vote_cap, r.answer_upvoted, r.question_upvoted),
            (300, 5, 10)
        );
        assert_eq!(
            ReputationRules::with_overrides("").unwrap(),
            ReputationRules::default()
        );
        assert!(
            ReputationRules::with_overrides("cap=3")
                .unwrap_err()
                .contains("unknown key “cap”")
        );
        assert!(
            ReputationRules::with_overrides("daily_vote_cap=lots")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            Privileges::with_overrides("vote_down")
                .unwrap_err()
                .contains("not key=value")
        );
        assert_eq!(
            Privileges::with_overrides("edit_others=1000")
                .unwrap()
                .edit_others,
            1000
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
