// Votes, acceptances, the reputation ledger and badges; shared by both backends.
//
// Every reputation change is a row in reputation_events (who, why, which post, who
// caused it, how much after the daily cap) written in the same transaction as the
// vote or acceptance, and users.reputation moves with it, never below the floor.
// Undoing a vote or an acceptance writes the opposite of what it earned, found by
// summing its events, so a capped upvote gives back only what it gave.
//
// Long on purpose: every write to the reputation ledger is here, so that the rules
// it keeps (the daily cap, the floor, replays) are checked in one place.

use crate::writes::Tx;
use crate::{Backend, Cols, db_error};
use ponder_core::badges::{self, BadgeKind};
use ponder_core::changes::ChangeKind;
use ponder_core::refusal::Refusal;
use ponder_core::reputation::{REPUTATION_FLOOR, ReputationRules, utc_day};
use ponder_core::{CommentId, PostId, UserId};
use ponder_store::{
    Badge, NewVote, ReputationEvent, ReputationMismatch, StoreError, StoreResult, ViewerVotes,
    VoteValue,
};

/// The ledger kinds of an upvote and of its undoing.
const UPVOTE_KINDS: [&str; 3] = ["upvote", "upvote_undone", "upvote_undone"];
/// The ledger kinds of a downvote (received and cast) and of its undoing.
const DOWNVOTE_KINDS: [&str; 3] = ["downvote", "downvote_cast", "downvote_undone"];
/// The ledger kinds of an acceptance and of its undoing.
const ACCEPT_KINDS: [&str; 3] = ["accepted", "accepting", "accept_undone"];

/// One row of the reputation ledger.
pub(crate) struct Ledger<'a> {
    /// Whose reputation moves.
    pub user: i64,
    /// Why.
    pub kind: &'a str,
    /// The post it is about.
    pub post: Option<i64>,
    /// Who caused it.
    pub actor: Option<i64>,
    /// Points.
    pub amount: i64,
    /// When.
    pub at: i64,
}

impl Backend {
    /// Writes one ledger row and moves the user's total, never below the floor.
    pub(crate) async fn record_reputation(
        &self,
        tx: &mut Tx<'_>,
        entry: Ledger<'_>,
    ) -> StoreResult<()> {
        let Ledger {
            user,
            kind,
            post,
            actor,
            amount,
            at,
        } = entry;
        if amount == 0 {
            return Ok(());
        }
        self.count();
        sqlx::query(
            "INSERT INTO reputation_events (user_id, kind, post_id, actor_id, amount, day, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(user)
        .bind(kind)
        .bind(post)
        .bind(actor)
        .bind(amount)
        .bind(utc_day(at))
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        self.count();
        sqlx::query(concat!(
            "UPDATE users SET reputation = ",
            greatest!(),
            "($3, reputation + $2) WHERE id = $1"
        ))
        .bind(user)
        .bind(amount)
        .bind(REPUTATION_FLOOR)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// Writes the opposite of what `actor`'s events of these kinds on `post` earned
    /// each user, as `undo_kind`. The kinds include the undo kind itself, so after
    /// any number of casts and withdrawals the net is what still stands.
    async fn undo_reputation(
        &self,
        tx: &mut Tx<'_>,
        post: i64,
        actor: i64,
        kinds: [&str; 3],
        undo_kind: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        let nets: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT user_id, CAST(coalesce(SUM(amount), 0) AS BIGINT) FROM reputation_events \
             WHERE post_id = $1 AND actor_id = $2 AND kind IN ($3, $4, $5) GROUP BY user_id",
        )
        .bind(post)
        .bind(actor)
        .bind(kinds[0])
        .bind(kinds[1])
        .bind(kinds[2])
        .fetch_all(&mut **tx)
        .await
        .map_err(db_error)?;
        for (user, net) in nets {
            self.record_reputation(
                tx,
                Ledger {
                    user,
                    kind: undo_kind,
                    post: Some(post),
                    actor: Some(actor),
                    amount: -net,
                    at,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Gives a badge once (a post badge once per post), counting an imported award
    /// of it as given.
    pub(crate) async fn award_badge(
        &self,
        tx: &mut Tx<'_>,
        user: i64,
        badge: BadgeKind,
        post: Option<i64>,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO badges (user_id, name, class, post_id, awarded_at) SELECT $1, $2, $3, $4, $5 \
             WHERE NOT EXISTS (SELECT 1 FROM badges WHERE user_id = $1 AND name = $2 \
             AND coalesce(post_id, 0) = coalesce($4, 0) AND imported = 1) \
             ON CONFLICT DO NOTHING",
        )
        .bind(user)
        .bind(badge.name)
        .bind(badge.class.as_str())
        .bind(post)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ponder_store::VoteStore for Backend {
    async fn cast_vote(&self, vote: NewVote) -> StoreResult<()> {
        let rules = vote.rules;
        let at = vote.created_at;
        let mut tx = self.begin().await?;
        self.count();
        let post: Option<(i64, String, i64, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT author_id, kind, score, locked_at FROM posts WHERE id = $1 AND deleted_at IS NULL",
            for_update!()
        ))
        .bind(vote.post.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((author, kind, score, locked)) = post else {
            return Err(StoreError::not_found(format!("post {}", vote.post)));
        };
        if locked.is_some() {
            return Err(StoreError::Refused(Refusal::PostLocked));
        }
        if author == vote.user.0 {
            return Err(StoreError::Refused(Refusal::OwnPostVote));
        }
        self.count();
        let old: Option<(i64,)> =
            sqlx::query_as("SELECT value FROM votes WHERE post_id = $1 AND user_id = $2")
                .bind(vote.post.0)
                .bind(vote.user.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let old = VoteValue::from_i64(old.map_or(0, |(v,)| v));
        if old == vote.value {
            return Ok(());
        }
        self.count();
        if vote.value == VoteValue::None {
            sqlx::query("DELETE FROM votes WHERE post_id = $1 AND user_id = $2")
                .bind(vote.post.0)
                .bind(vote.user.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        } else {
            sqlx::query(
                "INSERT INTO votes (post_id, user_id, value, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (post_id, user_id) DO UPDATE SET value = excluded.value, \
                 created_at = excluded.created_at",
            )
            .bind(vote.post.0)
            .bind(vote.user.0)
            .bind(vote.value.as_i64())
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        let new_score = score + vote.value.as_i64() - old.as_i64();
        self.count();
        sqlx::query("UPDATE posts SET score = $2 WHERE id = $1")
            .bind(vote.post.0)
            .bind(new_score)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;

        // Undo what the old vote earned: its rows and any earlier undo rows, summed.
        match old {
            VoteValue::Up => {
                self.undo_reputation(
                    &mut tx,
                    vote.post.0,
                    vote.user.0,
                    UPVOTE_KINDS,
                    "upvote_undone",
                    at,
                )
                .await?
            }
            VoteValue::Down => {
                self.undo_reputation(
                    &mut tx,
                    vote.post.0,
                    vote.user.0,
                    DOWNVOTE_KINDS,
                    "downvote_undone",
                    at,
                )
                .await?
            }
            VoteValue::None => {}
        }
        let is_answer = kind == "answer";
        match vote.value {
            VoteValue::Up => {
                let worth = if is_answer {
                    rules.answer_upvoted
                } else {
                    rules.question_upvoted
                };
                self.count();
                let (today,): (i64,) = sqlx::query_as(
                    "SELECT CAST(coalesce(SUM(amount), 0) AS BIGINT) FROM reputation_events \
                     WHERE user_id = $1 AND day = $2 AND kind IN ('upvote', 'upvote_undone')",
                )
                .bind(author)
                .bind(utc_day(at))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
                let granted = worth.min((rules.daily_vote_cap - today).max(0));
                self.record_reputation(
                    &mut tx,
                    Ledger {
                        user: author,
                        kind: "upvote",
                        post: Some(vote.post.0),
                        actor: Some(vote.user.0),
                        amount: granted,
                        at,
                    },
                )
                .await?;
                self.award_badge(&mut tx, vote.user.0, badges::SUPPORTER, None, at)
                    .await?;
            }
            VoteValue::Down => {
                self.record_reputation(
                    &mut tx,
                    Ledger {
                        user: author,
                        kind: "downvote",
                        post: Some(vote.post.0),
                        actor: Some(vote.user.0),
                        amount: rules.downvoted,
                        at,
                    },
                )
                .await?;
                if is_answer {
                    self.record_reputation(
                        &mut tx,
                        Ledger {
                            user: vote.user.0,
                            kind: "downvote_cast",
                            post: Some(vote.post.0),
                            actor: Some(vote.user.0),
                            amount: rules.downvoting_answer,
                            at,
                        },
                    )
                    .await?;
                }
                self.award_badge(&mut tx, vote.user.0, badges::CRITIC, None, at)
                    .await?;
            }
            VoteValue::None => {}
        }
        if new_score >= badges::NICE_SCORE {
            let badge = if is_answer {
                badges::NICE_ANSWER
            } else {
                badges::NICE_QUESTION
            };
            self.award_badge(&mut tx, author, badge, Some(vote.post.0), at)
                .await?;
        }
        self.log_change(&mut tx, ChangeKind::VoteCast, vote.post.0)
            .await?;
        self.commit(tx).await
    }

    async fn accept_answer(
        &self,
        question: PostId,
        answer: Option<PostId>,
        rules: ReputationRules,
    ) -> StoreResult<()> {
        let at = ponder_core::time::now();
        let mut tx = self.begin().await?;
        self.count();
        let found: Option<(i64, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT author_id, accepted_answer_id FROM posts \
             WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL",
            for_update!()
        ))
        .bind(question.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((asker, old)) = found else {
            return Err(StoreError::not_found(format!("question {question}")));
        };
        if old == answer.map(|a| a.0) {
            return Ok(());
        }
        let answerer = match answer {
            Some(new) => {
                self.count();
                let found: Option<(i64,)> = sqlx::query_as(
                    "SELECT author_id FROM posts WHERE id = $1 AND parent_id = $2 \
                     AND kind = 'answer' AND deleted_at IS NULL",
                )
                .bind(new.0)
                .bind(question.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
                let Some((answerer,)) = found else {
                    return Err(StoreError::Refused(Refusal::NotAnAnswerTo {
                        post: new,
                        question,
                    }));
                };
                Some(answerer)
            }
            None => None,
        };
        if let Some(old) = old {
            self.undo_reputation(&mut tx, old, asker, ACCEPT_KINDS, "accept_undone", at)
                .await?;
        }
        if let (Some(new), Some(answerer)) = (answer, answerer) {
            // Accepting one's own answer earns nothing, as on Stack Exchange.
            if answerer != asker {
                self.record_reputation(
                    &mut tx,
                    Ledger {
                        user: answerer,
                        kind: "accepted",
                        post: Some(new.0),
                        actor: Some(asker),
                        amount: rules.answer_accepted,
                        at,
                    },
                )
                .await?;
                self.record_reputation(
                    &mut tx,
                    Ledger {
                        user: asker,
                        kind: "accepting",
                        post: Some(new.0),
                        actor: Some(asker),
                        amount: rules.accepting,
                        at,
                    },
                )
                .await?;
                self.award_badge(&mut tx, answerer, badges::SCHOLAR, None, at)
                    .await?;
            }
        }
        self.count();
        sqlx::query("UPDATE posts SET accepted_answer_id = $2 WHERE id = $1")
            .bind(question.0)
            .bind(answer.map(|a| a.0))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_change(&mut tx, ChangeKind::AnswerAccepted, question.0)
            .await?;
        self.commit(tx).await
    }

    async fn reputation_events(
        &self,
        user: UserId,
        limit: u32,
    ) -> StoreResult<Vec<ReputationEvent>> {
        self.count();
        // The question is named only while the post and its question are visible:
        // the history is public, and a deleted post's title is not.
        let found = sqlx::query(
            "SELECT e.id, e.kind, e.amount, e.post_id, \
             CASE WHEN p.deleted_at IS NULL AND q.deleted_at IS NULL THEN coalesce(q.id, p.id) END, \
             CASE WHEN p.deleted_at IS NULL AND q.deleted_at IS NULL THEN coalesce(q.title, p.title) END, \
             e.created_at \
             FROM reputation_events e LEFT JOIN posts p ON p.id = e.post_id LEFT JOIN posts q ON q.id = p.parent_id \
             WHERE e.user_id = $1 ORDER BY e.id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        found
            .iter()
            .map(|row| {
                use ponder_store::rows::RowAccess;
                let row = Cols(row);
                let question = match (row.opt_int(4)?, row.opt_text(5)?) {
                    (Some(id), Some(title)) => Some((PostId(id), title)),
                    _ => None,
                };
                Ok(ReputationEvent {
                    id: row.int(0)?,
                    kind: row.text(1)?,
                    amount: row.int(2)?,
                    post_id: row.opt_int(3)?.map(PostId),
                    question,
                    created_at: row.int(6)?,
                })
            })
            .collect()
    }

    async fn badges(&self, user: UserId) -> StoreResult<Vec<Badge>> {
        self.count();
        let found: Vec<(String, String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT name, class, post_id, awarded_at FROM badges WHERE user_id = $1 ORDER BY awarded_at, id",
        )
        .bind(user.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found
            .into_iter()
            .map(|(name, class, post, awarded_at)| Badge {
                name,
                class,
                post_id: post.map(PostId),
                awarded_at,
            })
            .collect())
    }

    async fn recompute_reputation(&self, apply: bool) -> StoreResult<Vec<ReputationMismatch>> {
        // Replaying the ledger per user, in id order, with the floor applied at each
        // step exactly as the writes apply it.
        self.count();
        let events: Vec<(i64, i64)> =
            sqlx::query_as("SELECT user_id, amount FROM reputation_events ORDER BY user_id, id")
                .fetch_all(&self.readers)
                .await
                .map_err(db_error)?;
        let mut computed: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        for (user, amount) in events {
            let total = computed.entry(user).or_insert(REPUTATION_FLOOR);
            *total = (*total + amount).max(REPUTATION_FLOOR);
        }
        self.count();
        let users: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, reputation FROM users WHERE deleted_at IS NULL ORDER BY id")
                .fetch_all(&self.readers)
                .await
                .map_err(db_error)?;
        let mismatches: Vec<ReputationMismatch> = users
            .into_iter()
            .filter_map(|(user, stored)| {
                let expected = computed.get(&user).copied().unwrap_or(REPUTATION_FLOOR);
                (expected != stored).then_some(ReputationMismatch {
                    user: UserId(user),
                    stored,
                    computed: expected,
                })
            })
            .collect();
        if apply && !mismatches.is_empty() {
            let mut tx = self.begin().await?;
            for m in &mismatches {
                self.count();
                sqlx::query("UPDATE users SET reputation = $2 WHERE id = $1")
                    .bind(m.user.0)
                    .bind(m.computed)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            self.commit(tx).await?;
        }
        Ok(mismatches)
    }

    async fn toggle_comment_vote(
        &self,
        comment: CommentId,
        user: UserId,
        at: i64,
    ) -> StoreResult<(bool, i64)> {
        let mut tx = self.begin().await?;
        self.count();
        let found: Option<(i64, i64, Option<i64>)> = sqlx::query_as(concat!(
            "SELECT c.author_id, c.score, p.locked_at FROM comments c JOIN posts p ON p.id = c.post_id \
             WHERE c.id = $1 AND c.deleted_at IS NULL",
            for_update!()
        ))
        .bind(comment.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((author, score, locked_at)) = found else {
            return Err(StoreError::not_found(format!("comment {comment}")));
        };
        if locked_at.is_some() {
            return Err(StoreError::Refused(Refusal::PostLockedForCommentVotes));
        }
        if author == user.0 {
            return Err(StoreError::Refused(Refusal::OwnCommentVote));
        }
        self.count();
        let removed =
            sqlx::query("DELETE FROM comment_votes WHERE comment_id = $1 AND user_id = $2")
                .bind(comment.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
        let (voted, new_score) = if removed > 0 {
            (false, score - 1)
        } else {
            self.count();
            sqlx::query(
                "INSERT INTO comment_votes (comment_id, user_id, created_at) VALUES ($1, $2, $3)",
            )
            .bind(comment.0)
            .bind(user.0)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            (true, score + 1)
        };
        self.count();
        sqlx::query("UPDATE comments SET score = $2 WHERE id = $1")
            .bind(comment.0)
            .bind(new_score)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_change(&mut tx, ChangeKind::CommentVoted, comment.0)
            .await?;
        self.commit(tx).await?;
        Ok((voted, new_score))
    }

    async fn viewer_votes(&self, user: UserId, question: PostId) -> StoreResult<ViewerVotes> {
        self.count();
        let posts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT v.post_id, v.value FROM votes v JOIN posts p ON p.id = v.post_id \
             WHERE v.user_id = $1 AND (p.id = $2 OR p.parent_id = $2)",
        )
        .bind(user.0)
        .bind(question.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        self.count();
        let comments: Vec<(i64,)> = sqlx::query_as(
            "SELECT cv.comment_id FROM comment_votes cv JOIN comments c ON c.id = cv.comment_id \
             JOIN posts p ON p.id = c.post_id WHERE cv.user_id = $1 AND (p.id = $2 OR p.parent_id = $2)",
        )
        .bind(user.0)
        .bind(question.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(ViewerVotes {
            posts: posts
                .into_iter()
                .map(|(p, v)| (PostId(p), VoteValue::from_i64(v)))
                .collect(),
            comments: comments.into_iter().map(|(c,)| CommentId(c)).collect(),
        })
    }
}
