// Following, the inbox and the achievements page's reputation history, shared by
// both backends. The inbox subscriber of the change feed hands each batch to
// `deliver_notices`, which reads what each change did, writes the items (one
// statement for all the followers of a thing, however many), and moves the
// subscriber's stored position on, all in one transaction: a batch is delivered
// once, whichever node leads and however often it is retried.

use crate::writes::Tx;
use crate::{Backend, Cols, bind_ids, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::notices::{FollowKind, FollowLevel, NoticeKind, mentions};
use ponder_core::{CommentId, PostId, UserId};
use ponder_store::rows::RowAccess;
use ponder_store::{Change, Follow, Notice, Page, ReputationGroup, StoreError, StoreResult};

/// Inbox items a page.
const INBOX_PAGE: u32 = 30;

/// Followed things a page.
const FOLLOWING_PAGE: u32 = 50;

/// Reputation groups a page.
const HISTORY_PAGE: u32 = 30;

/// The columns an item is written with; each insert below selects them in order.
macro_rules! notice_insert {
    () => {
        "INSERT INTO notifications (user_id, kind, subject_id, post_id, comment_id, actor_id, \
         detail, created_at, updated_at) "
    };
}

/// What an unread item on the same thing does with one more event: counts it and
/// points at the newest.
macro_rules! notice_grouping {
    () => {
        " ON CONFLICT (user_id, kind, subject_id) WHERE read_at IS NULL DO UPDATE SET \
         item_count = notifications.item_count + 1, post_id = excluded.post_id, \
         comment_id = excluded.comment_id, actor_id = excluded.actor_id, \
         detail = excluded.detail, updated_at = excluded.updated_at RETURNING id"
    };
}

/// The columns of an inbox item as [`notice`] reads them.
macro_rules! notice_columns {
    () => {
        "n.id, n.kind, n.item_count, n.post_id, n.comment_id, q.id, q.title, a.id, \
         a.display_name, n.detail, n.created_at, n.updated_at, n.read_at \
         FROM notifications n \
         LEFT JOIN posts p ON p.id = n.post_id \
         LEFT JOIN posts q ON q.id = coalesce(p.parent_id, p.id) \
         LEFT JOIN users a ON a.id = n.actor_id "
    };
}

/// What `$1` follows, with the names of the things; a followed question that was
/// deleted, or a user whose account was, is left out (the row stays, and counts
/// again if it comes back).
macro_rules! followed {
    () => {
        "FROM follows f \
         LEFT JOIN posts q ON f.target_kind = 'question' AND q.id = f.target_id \
           AND q.deleted_at IS NULL \
         LEFT JOIN tags t ON f.target_kind = 'tag' AND t.id = f.target_id \
         LEFT JOIN categories c ON f.target_kind = 'category' AND c.id = f.target_id \
         LEFT JOIN users u ON f.target_kind = 'user' AND u.id = f.target_id \
           AND u.deleted_at IS NULL \
         WHERE f.user_id = $1 AND coalesce(q.id, t.id, c.id, u.id) IS NOT NULL"
    };
}

/// One event for one member (or for the followers of a question).
struct Event {
    kind: NoticeKind,
    /// What unread items group on: the question, or the moderator's message.
    subject: i64,
    post: Option<i64>,
    comment: Option<i64>,
    actor: Option<i64>,
    detail: String,
    at: i64,
    /// Whether the site mails, so that a direct item goes to the outbox too.
    mail: bool,
}

/// A moderated post's parent, author, close reason, deleter and deletion reason.
type ModeratedPost = (Option<i64>, i64, String, Option<i64>, String);

/// A post as the inbox needs it.
struct PostFacts {
    kind: String,
    question: i64,
    author: i64,
    deleted: bool,
}

pub(crate) use notice_columns;

/// Reads an inbox item from [`notice_columns`].
pub(crate) fn notice(row: &impl RowAccess) -> StoreResult<Notice> {
    let kind_name = row.text(1)?;
    let kind = NoticeKind::parse(&kind_name).ok_or_else(|| {
        StoreError::Database(format!("unknown inbox item kind {kind_name:?}").into())
    })?;
    let question = match row.opt_int(5)? {
        Some(id) => Some((PostId(id), row.text(6)?)),
        None => None,
    };
    let actor = match row.opt_int(7)? {
        Some(id) => Some((UserId(id), row.text(8)?)),
        None => None,
    };
    Ok(Notice {
        id: row.int(0)?,
        kind,
        count: row.int(2)?,
        post: row.opt_int(3)?.map(PostId),
        comment: row.opt_int(4)?.map(CommentId),
        question,
        actor,
        detail: row.text(9)?,
        created_at: row.int(10)?,
        updated_at: row.int(11)?,
        read: row.opt_int(12)?.is_some(),
    })
}

impl Backend {
    /// The post `id`, if it exists.
    async fn post_facts(&self, tx: &mut Tx<'_>, id: i64) -> StoreResult<Option<PostFacts>> {
        self.count();
        let row: Option<(String, Option<i64>, i64, Option<i64>)> = sqlx::query_as(
            "SELECT kind, parent_id, author_id, deleted_at FROM posts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(row.map(|(kind, parent, author, deleted)| PostFacts {
            kind,
            question: parent.unwrap_or(id),
            author,
            deleted: deleted.is_some(),
        }))
    }

    /// Writes `event` for `user` (unless the account is deleted); how many items.
    async fn notify(&self, tx: &mut Tx<'_>, user: i64, event: &Event) -> StoreResult<u64> {
        self.count();
        let written: Vec<(i64,)> = sqlx::query_as(concat!(
            notice_insert!(),
            "SELECT u.id, $2, $3, $4, $5, $6, $7, $8, $8 FROM users u \
             WHERE u.id = $1 AND u.deleted_at IS NULL",
            notice_grouping!()
        ))
        .bind(user)
        .bind(event.kind.as_str())
        .bind(event.subject)
        .bind(event.post)
        .bind(event.comment)
        .bind(event.actor)
        .bind(&event.detail)
        .bind(event.at)
        .fetch_all(&mut **tx)
        .await
        .map_err(db_error)?;
        if event.mail && event.kind.is_direct() {
            for (notice,) in &written {
                self.enqueue_direct_mail(tx, user, *notice, event.at)
                    .await?;
            }
        }
        Ok(written.len() as u64)
    }

    /// Puts the mail of direct item `notice` in the outbox for `user`, when they
    /// have a verified address and want such mail, and no mail of it waits yet.
    async fn enqueue_direct_mail(
        &self,
        tx: &mut Tx<'_>,
        user: i64,
        notice: i64,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO mail_outbox (user_id, kind, notice_id, created_at, next_attempt_at) \
             SELECT u.id, 'direct', $2, $3, $3 FROM users u \
             LEFT JOIN mail_preferences m ON m.user_id = u.id \
             WHERE u.id = $1 AND u.deleted_at IS NULL AND u.email IS NOT NULL \
             AND u.email_verified_at IS NOT NULL AND coalesce(m.direct, 1) = 1 \
             ON CONFLICT (notice_id) WHERE sent_at IS NULL AND failed_at IS NULL DO NOTHING",
        )
        .bind(user)
        .bind(notice)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// Writes `event` for everyone who follows question `question` into their
    /// inbox, but for the members in `except`; how many items.
    async fn notify_question_followers(
        &self,
        tx: &mut Tx<'_>,
        question: i64,
        except: Vec<i64>,
        event: &Event,
    ) -> StoreResult<u64> {
        self.count();
        let written: Vec<(i64,)> = bind_ids(
            sqlx::query_as(concat!(
                notice_insert!(),
                "SELECT f.user_id, $2, $3, $4, $5, $6, $7, $8, $8 \
                 FROM follows f JOIN users u ON u.id = f.user_id \
                 WHERE f.target_kind = 'question' AND f.target_id = $9 AND f.level = 'inbox' \
                 AND u.deleted_at IS NULL AND f.user_id NOT IN (",
                id_list!(),
                ")",
                notice_grouping!()
            )),
            except,
        )
        .bind(event.kind.as_str())
        .bind(event.subject)
        .bind(event.post)
        .bind(event.comment)
        .bind(event.actor)
        .bind(&event.detail)
        .bind(event.at)
        .bind(question)
        .fetch_all(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(written.len() as u64)
    }

    /// `user` follows question `question` for its news, unless they follow it already
    /// (at whatever level they chose).
    async fn follow_question_by_taking_part(
        &self,
        tx: &mut Tx<'_>,
        user: i64,
        question: i64,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO follows (user_id, target_kind, target_id, level, created_at) \
             VALUES ($1, 'question', $2, 'inbox', $3) ON CONFLICT DO NOTHING",
        )
        .bind(user)
        .bind(question)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// The items a new post causes: the asker told of an answer, the question's
    /// followers of it, the followers of a new question's tags, categories and
    /// author of it. Its author follows the question.
    async fn notices_of_post(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        mail: bool,
    ) -> StoreResult<u64> {
        let Some(post) = self.post_facts(tx, change.entity_id).await? else {
            return Ok(0);
        };
        if post.deleted {
            return Ok(0);
        }
        self.follow_question_by_taking_part(tx, post.author, post.question, change.created_at)
            .await?;
        if post.kind == "question" {
            return self.notices_of_question(tx, change, post.author).await;
        }
        let Some(question) = self.post_facts(tx, post.question).await? else {
            return Ok(0);
        };
        let mut event = Event {
            kind: NoticeKind::Answer,
            subject: post.question,
            post: Some(change.entity_id),
            comment: None,
            actor: Some(post.author),
            detail: String::new(),
            at: change.created_at,
            mail,
        };
        let mut written = 0;
        if question.author != post.author {
            written += self.notify(tx, question.author, &event).await?;
        }
        event.kind = NoticeKind::FollowedAnswer;
        written += self
            .notify_question_followers(
                tx,
                post.question,
                vec![post.author, question.author],
                &event,
            )
            .await?;
        Ok(written)
    }

    /// A new question's items, for those who follow its tags, its category or one
    /// above it, or its author.
    async fn notices_of_question(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        author: i64,
    ) -> StoreResult<u64> {
        self.count();
        let written: Vec<(i64,)> = sqlx::query_as(concat!(
            "WITH RECURSIVE up (id) AS (\
               SELECT category_id FROM posts WHERE id = $1 \
               UNION SELECT c.parent_id FROM categories c JOIN up ON c.id = up.id \
               WHERE c.parent_id IS NOT NULL) ",
            notice_insert!(),
            "SELECT r.user_id, $3, $1, $1, CAST(NULL AS BIGINT), $2, '', $4, $4 FROM (\
               SELECT f.user_id FROM follows f WHERE f.target_kind = 'tag' AND f.level = 'inbox' \
               AND f.target_id IN (SELECT tag_id FROM post_tags WHERE post_id = $1) \
               UNION SELECT f.user_id FROM follows f WHERE f.target_kind = 'category' \
               AND f.level = 'inbox' AND f.target_id IN (SELECT id FROM up) \
               UNION SELECT f.user_id FROM follows f WHERE f.target_kind = 'user' \
               AND f.level = 'inbox' AND f.target_id = $2) r \
             JOIN users u ON u.id = r.user_id WHERE u.deleted_at IS NULL AND r.user_id <> $2",
            notice_grouping!()
        ))
        .bind(change.entity_id)
        .bind(author)
        .bind(NoticeKind::NewQuestion.as_str())
        .bind(change.created_at)
        .fetch_all(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(written.len() as u64)
    }

    /// A new comment's items: the post's author, the members it mentions (a reply
    /// for those who commented on the post before), and the question's followers.
    /// Its author follows the question.
    async fn notices_of_comment(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        mail: bool,
    ) -> StoreResult<u64> {
        self.count();
        let found: Option<(i64, i64, String, Option<i64>)> = sqlx::query_as(
            "SELECT post_id, author_id, body_markdown, deleted_at FROM comments WHERE id = $1",
        )
        .bind(change.entity_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((post_id, author, markdown, None)) = found else {
            return Ok(0);
        };
        let Some(post) = self.post_facts(tx, post_id).await? else {
            return Ok(0);
        };
        if post.deleted {
            return Ok(0);
        }
        self.follow_question_by_taking_part(tx, author, post.question, change.created_at)
            .await?;
        let mut event = Event {
            kind: NoticeKind::Comment,
            subject: post.question,
            post: Some(post_id),
            comment: Some(change.entity_id),
            actor: Some(author),
            detail: String::new(),
            at: change.created_at,
            mail,
        };
        // Whom it mentions, and whether each commented on the post before (a reply).
        let mut mentioned: Vec<(i64, bool)> = Vec::new();
        for handle in mentions(&markdown) {
            self.count();
            let found: Option<(i64, bool)> = sqlx::query_as(
                "SELECT u.id, EXISTS (SELECT 1 FROM comments c WHERE c.post_id = $2 \
                 AND c.author_id = u.id AND c.id < $3 AND c.deleted_at IS NULL) \
                 FROM users u WHERE lower(u.handle) = $1 AND u.deleted_at IS NULL",
            )
            .bind(&handle)
            .bind(post_id)
            .bind(change.entity_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db_error)?;
            mentioned.extend(found.filter(|(user, _)| *user != author));
        }
        let mut told = vec![author];
        let mut written = 0;
        if post.author != author {
            // The post's author hears of every comment; by name, it is a mention.
            if mentioned.iter().any(|(user, _)| *user == post.author) {
                event.kind = NoticeKind::Mention;
            }
            written += self.notify(tx, post.author, &event).await?;
            told.push(post.author);
        }
        for (user, replied_to) in mentioned {
            if told.contains(&user) {
                continue;
            }
            event.kind = if replied_to {
                NoticeKind::Reply
            } else {
                NoticeKind::Mention
            };
            written += self.notify(tx, user, &event).await?;
            told.push(user);
        }
        event.kind = NoticeKind::FollowedComment;
        written += self
            .notify_question_followers(tx, post.question, told, &event)
            .await?;
        Ok(written)
    }

    /// An accepted answer's item, for its author.
    async fn notices_of_acceptance(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        mail: bool,
    ) -> StoreResult<u64> {
        self.count();
        let found: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT q.author_id, a.id, a.author_id FROM posts q \
             JOIN posts a ON a.id = q.accepted_answer_id WHERE q.id = $1",
        )
        .bind(change.entity_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((asker, answer, answerer)) = found else {
            return Ok(0);
        };
        if asker == answerer {
            return Ok(0);
        }
        let event = Event {
            kind: NoticeKind::Accepted,
            subject: change.entity_id,
            post: Some(answer),
            comment: None,
            actor: Some(asker),
            detail: String::new(),
            at: change.created_at,
            mail,
        };
        self.notify(tx, answerer, &event).await
    }

    /// An edit's items: the post's author, when someone else edited it, and the
    /// suggester, when the edit was their suggestion approved.
    async fn notices_of_edit(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        mail: bool,
    ) -> StoreResult<u64> {
        let Some(post) = self.post_facts(tx, change.entity_id).await? else {
            return Ok(0);
        };
        self.count();
        let editor: Option<(i64,)> = sqlx::query_as(
            "SELECT editor_id FROM revisions WHERE post_id = $1 AND created_at <= $2 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(change.entity_id)
        .bind(change.created_at)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let mut written = 0;
        let mut event = Event {
            kind: NoticeKind::Edited,
            subject: post.question,
            post: Some(change.entity_id),
            comment: None,
            actor: editor.map(|(id,)| id),
            detail: String::new(),
            at: change.created_at,
            mail,
        };
        if let Some((editor,)) = editor
            && editor != post.author
        {
            written += self.notify(tx, post.author, &event).await?;
        }
        self.count();
        let approved: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT author_id, reviewer_id FROM suggested_edits WHERE post_id = $1 \
             AND status = 'approved' AND reviewed_at = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(change.entity_id)
        .bind(change.created_at)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        if let Some((suggester, reviewer)) = approved
            && Some(suggester) != reviewer
        {
            event.kind = NoticeKind::SuggestionApproved;
            event.actor = reviewer;
            written += self.notify(tx, suggester, &event).await?;
        }
        Ok(written)
    }

    /// A suggested edit's item: for the post's author when it is made, for the
    /// suggester when it is rejected.
    async fn notices_of_suggestion(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        rejected: bool,
        mail: bool,
    ) -> StoreResult<u64> {
        self.count();
        let found: Option<(i64, i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT post_id, author_id, reviewer_id, reason FROM suggested_edits WHERE id = $1",
        )
        .bind(change.entity_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((post_id, suggester, reviewer, reason)) = found else {
            return Ok(0);
        };
        let Some(post) = self.post_facts(tx, post_id).await? else {
            return Ok(0);
        };
        let (kind, user, actor, detail) = if rejected {
            (NoticeKind::SuggestionRejected, suggester, reviewer, reason)
        } else {
            (
                NoticeKind::SuggestedEdit,
                post.author,
                Some(suggester),
                String::new(),
            )
        };
        if Some(user) == actor {
            return Ok(0);
        }
        let event = Event {
            kind,
            subject: post.question,
            post: Some(post_id),
            comment: None,
            actor,
            detail,
            at: change.created_at,
            mail,
        };
        self.notify(tx, user, &event).await
    }

    /// A moderation's item for the post's author: closed or reopened (with the
    /// close reason), locked or unlocked, deleted or restored by someone else
    /// (with the moderator and reason the moderation log holds, when it does).
    async fn notices_of_moderation(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        kind: NoticeKind,
        mail: bool,
    ) -> StoreResult<u64> {
        // The post's question and author, and what the moderation left on it, in one read.
        self.count();
        let found: Option<ModeratedPost> = sqlx::query_as(
            "SELECT parent_id, author_id, close_reason, deleted_by, deletion_reason \
             FROM posts WHERE id = $1",
        )
        .bind(change.entity_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((parent, author, close_reason, deleted_by, deletion_reason)) = found else {
            return Ok(0);
        };
        let question = parent.unwrap_or(change.entity_id);
        self.count();
        let logged: Option<(i64, String)> = sqlx::query_as(
            "SELECT moderator_id, reason FROM moderation_log WHERE target_kind = 'post' \
             AND target_id = $1 AND created_at >= $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(change.entity_id)
        .bind(change.created_at - 60)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let (actor, detail) = match kind {
            NoticeKind::Closed => (logged.map(|(m, _)| m), close_reason),
            NoticeKind::Deleted => {
                let by = deleted_by.or(logged.as_ref().map(|(m, _)| *m));
                (by, deletion_reason)
            }
            NoticeKind::Restored => match logged {
                Some((moderator, reason)) => (Some(moderator), reason),
                // Nobody but its author brings a post back without a log entry.
                None => return Ok(0),
            },
            _ => logged.map_or((None, String::new()), |(m, reason)| (Some(m), reason)),
        };
        if actor == Some(author) {
            return Ok(0);
        }
        let event = Event {
            kind,
            subject: question,
            post: Some(change.entity_id),
            comment: None,
            actor,
            detail,
            at: change.created_at,
            mail,
        };
        self.notify(tx, author, &event).await
    }

    /// A moderator's message's item.
    async fn notices_of_message(
        &self,
        tx: &mut Tx<'_>,
        change: &Change,
        mail: bool,
    ) -> StoreResult<u64> {
        self.count();
        let found: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT moderator_id, target_id, reason FROM moderation_log \
             WHERE id = $1 AND action = 'message' AND target_kind = 'user'",
        )
        .bind(change.entity_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_error)?;
        let Some((moderator, user, message)) = found else {
            return Ok(0);
        };
        let event = Event {
            kind: NoticeKind::ModeratorMessage,
            subject: change.entity_id,
            post: None,
            comment: None,
            actor: Some(moderator),
            detail: message,
            at: change.created_at,
            mail,
        };
        self.notify(tx, user, &event).await
    }

    /// The items one change causes.
    async fn notices_of(&self, tx: &mut Tx<'_>, change: &Change, mail: bool) -> StoreResult<u64> {
        let Some(kind) = change.kind() else {
            return Ok(0);
        };
        match kind {
            ChangeKind::PostCreated => self.notices_of_post(tx, change, mail).await,
            ChangeKind::CommentCreated => self.notices_of_comment(tx, change, mail).await,
            ChangeKind::AnswerAccepted => self.notices_of_acceptance(tx, change, mail).await,
            ChangeKind::PostEdited => self.notices_of_edit(tx, change, mail).await,
            ChangeKind::SuggestionCreated => {
                self.notices_of_suggestion(tx, change, false, mail).await
            }
            ChangeKind::SuggestionRejected => {
                self.notices_of_suggestion(tx, change, true, mail).await
            }
            ChangeKind::PostClosed => {
                self.notices_of_moderation(tx, change, NoticeKind::Closed, mail)
                    .await
            }
            ChangeKind::PostReopened => {
                self.notices_of_moderation(tx, change, NoticeKind::Reopened, mail)
                    .await
            }
            ChangeKind::PostLocked => {
                self.notices_of_moderation(tx, change, NoticeKind::Locked, mail)
                    .await
            }
            ChangeKind::PostUnlocked => {
                self.notices_of_moderation(tx, change, NoticeKind::Unlocked, mail)
                    .await
            }
            ChangeKind::PostDeleted => {
                self.notices_of_moderation(tx, change, NoticeKind::Deleted, mail)
                    .await
            }
            ChangeKind::PostUndeleted => {
                self.notices_of_moderation(tx, change, NoticeKind::Restored, mail)
                    .await
            }
            ChangeKind::UserMessaged => self.notices_of_message(tx, change, mail).await,
            _ => Ok(0),
        }
    }

    /// Moves the follows of `kind` `from` to `into` (a merged tag or category;
    /// a member who followed both keeps one), or drops them when it goes without
    /// a successor.
    pub(crate) async fn move_follows(
        &self,
        tx: &mut Tx<'_>,
        kind: FollowKind,
        from: i64,
        into: Option<i64>,
    ) -> StoreResult<()> {
        if let Some(into) = into {
            self.count();
            sqlx::query(
                "INSERT INTO follows (user_id, target_kind, target_id, level, created_at) \
                 SELECT user_id, target_kind, $3, level, created_at FROM follows \
                 WHERE target_kind = $1 AND target_id = $2 ON CONFLICT DO NOTHING",
            )
            .bind(kind.as_str())
            .bind(from)
            .bind(into)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        }
        self.count();
        sqlx::query("DELETE FROM follows WHERE target_kind = $1 AND target_id = $2")
            .bind(kind.as_str())
            .bind(from)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    /// Whether `kind` `target` exists (and is not deleted), to be followed.
    async fn followable(&self, kind: FollowKind, target: i64) -> StoreResult<bool> {
        let sql = match kind {
            FollowKind::Question => {
                "SELECT COUNT(*) FROM posts WHERE id = $1 AND kind = 'question' AND deleted_at IS NULL"
            }
            FollowKind::Tag => "SELECT COUNT(*) FROM tags WHERE id = $1",
            FollowKind::Category => "SELECT COUNT(*) FROM categories WHERE id = $1",
            FollowKind::User => "SELECT COUNT(*) FROM users WHERE id = $1 AND deleted_at IS NULL",
        };
        self.count();
        let (found,): (i64,) = sqlx::query_as(sql)
            .bind(target)
            .fetch_one(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(found > 0)
    }
}

#[async_trait::async_trait]
impl ponder_store::NoticeStore for Backend {
    async fn follow(
        &self,
        user: UserId,
        kind: FollowKind,
        target: i64,
        level: FollowLevel,
        at: i64,
    ) -> StoreResult<bool> {
        if !self.followable(kind, target).await? {
            return Err(StoreError::not_found(format!("{} {target}", kind.as_str())));
        }
        let before = self.follow_level(user, kind, target).await?;
        self.count();
        sqlx::query(
            "INSERT INTO follows (user_id, target_kind, target_id, level, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, target_kind, target_id) DO UPDATE SET level = excluded.level",
        )
        .bind(user.0)
        .bind(kind.as_str())
        .bind(target)
        .bind(level.as_str())
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        if kind != FollowKind::Question {
            // The row that keeps when this member's digest last went.
            self.ensure_mail_preferences(user.0).await?;
        }
        Ok(before.is_none())
    }

    async fn unfollow(&self, user: UserId, kind: FollowKind, target: i64) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(
            "DELETE FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3",
        )
        .bind(user.0)
        .bind(kind.as_str())
        .bind(target)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn follow_level(
        &self,
        user: UserId,
        kind: FollowKind,
        target: i64,
    ) -> StoreResult<Option<FollowLevel>> {
        self.count();
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT level FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3",
        )
        .bind(user.0)
        .bind(kind.as_str())
        .bind(target)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(found.and_then(|(level,)| FollowLevel::parse(&level)))
    }

    async fn following(&self, user: UserId, page: u32) -> StoreResult<Page<Follow>> {
        let page = page.max(1);
        self.count();
        let (total,): (i64,) = sqlx::query_as(concat!("SELECT COUNT(*) ", followed!()))
            .bind(user.0)
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        self.count();
        let rows: Vec<(String, i64, String, i64, String)> = sqlx::query_as(concat!(
            "SELECT f.target_kind, f.target_id, f.level, f.created_at, \
             coalesce(q.title, t.name, c.name, u.display_name, '') ",
            followed!(),
            " ORDER BY f.created_at DESC, f.target_kind, f.target_id LIMIT $2 OFFSET $3"
        ))
        .bind(user.0)
        .bind(i64::from(FOLLOWING_PAGE))
        .bind(i64::from(page - 1) * i64::from(FOLLOWING_PAGE))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        let items = rows
            .into_iter()
            .filter_map(|(kind, target_id, level, created_at, label)| {
                Some(Follow {
                    kind: FollowKind::parse(&kind)?,
                    target_id,
                    level: FollowLevel::parse(&level)?,
                    created_at,
                    label,
                })
            })
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page: FOLLOWING_PAGE,
        })
    }

    async fn inbox(&self, user: UserId, page: u32) -> StoreResult<Page<Notice>> {
        let page = page.max(1);
        self.count();
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
                .bind(user.0)
                .fetch_one(&self.readers)
                .await
                .map_err(db_error)?;
        self.count();
        let rows = sqlx::query(concat!(
            "SELECT ",
            notice_columns!(),
            "WHERE n.user_id = $1 ORDER BY n.updated_at DESC, n.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(user.0)
        .bind(i64::from(INBOX_PAGE))
        .bind(i64::from(page - 1) * i64::from(INBOX_PAGE))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        let items = rows
            .iter()
            .map(|r| notice(&Cols(r)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page: INBOX_PAGE,
        })
    }

    async fn unread_notices(&self, user: UserId) -> StoreResult<i64> {
        self.count();
        let (unread,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT 1 FROM notifications \
             WHERE user_id = $1 AND read_at IS NULL LIMIT 100) AS unread",
        )
        .bind(user.0)
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(unread)
    }

    async fn mark_notice_read(
        &self,
        user: UserId,
        id: i64,
        at: i64,
    ) -> StoreResult<Option<Notice>> {
        self.count();
        sqlx::query(
            "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 \
             AND read_at IS NULL",
        )
        .bind(id)
        .bind(user.0)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        self.count();
        let row = sqlx::query(concat!(
            "SELECT ",
            notice_columns!(),
            "WHERE n.id = $1 AND n.user_id = $2"
        ))
        .bind(id)
        .bind(user.0)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        row.map(|r| notice(&Cols(&r))).transpose()
    }

    async fn mark_thread_notices_read(
        &self,
        user: UserId,
        question: PostId,
        at: i64,
    ) -> StoreResult<u64> {
        self.count();
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND subject_id = $2 \
             AND read_at IS NULL AND kind <> 'moderator_message'",
        )
        .bind(user.0)
        .bind(question.0)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected())
    }

    async fn mark_all_notices_read(&self, user: UserId, at: i64) -> StoreResult<u64> {
        self.count();
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected())
    }

    async fn deliver_notices(
        &self,
        subscriber: &str,
        after: i64,
        changes: &[Change],
        mail: bool,
        at: i64,
    ) -> StoreResult<Option<u64>> {
        let Some(last) = changes.last() else {
            return Ok(Some(0));
        };
        let mut tx = self.begin().await?;
        if !self
            .move_feed_position(&mut tx, subscriber, after, last.id, at)
            .await?
        {
            return Ok(None);
        }
        let mut written = 0;
        for change in changes.iter().filter(|c| c.id > after) {
            written += self.notices_of(&mut tx, change, mail).await?;
        }
        self.commit(tx).await?;
        Ok(Some(written))
    }

    async fn message_user(
        &self,
        moderator: UserId,
        user: UserId,
        message: &str,
        at: i64,
    ) -> StoreResult<i64> {
        if !self.followable(FollowKind::User, user.0).await? {
            return Err(StoreError::not_found(format!("user {user}")));
        }
        let mut tx = self.begin().await?;
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO moderation_log (moderator_id, action, target_kind, target_id, reason, \
             created_at) VALUES ($1, 'message', 'user', $2, $3, $4) RETURNING id",
        )
        .bind(moderator.0)
        .bind(user.0)
        .bind(message)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        self.log_change_at(&mut tx, ChangeKind::UserMessaged, id, at)
            .await?;
        self.commit(tx).await?;
        Ok(id)
    }

    async fn thread_participants(
        &self,
        question: PostId,
        prefix: &str,
        limit: u32,
    ) -> StoreResult<Vec<(String, String)>> {
        if !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Ok(Vec::new());
        }
        // `_` is a wildcard to LIKE: escaped, as is the escape character itself.
        let pattern = format!("{}%", prefix.to_ascii_lowercase().replace('_', "\\_"));
        self.count();
        let found: Vec<(String, String)> = sqlx::query_as(
            "SELECT u.handle, u.display_name FROM users u \
             WHERE u.deleted_at IS NULL AND lower(u.handle) LIKE $2 ESCAPE '\\' AND u.id IN (\
               SELECT p.author_id FROM posts p WHERE (p.id = $1 OR p.parent_id = $1) \
                 AND p.deleted_at IS NULL \
               UNION SELECT c.author_id FROM comments c JOIN posts p ON p.id = c.post_id \
                 WHERE (p.id = $1 OR p.parent_id = $1) AND c.deleted_at IS NULL) \
             ORDER BY lower(u.handle) LIMIT $3",
        )
        .bind(question.0)
        .bind(pattern)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(found)
    }

    async fn reputation_history(
        &self,
        user: UserId,
        page: u32,
    ) -> StoreResult<Page<ReputationGroup>> {
        let page = page.max(1);
        self.count();
        let (total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT 1 FROM reputation_events WHERE user_id = $1 \
             GROUP BY day, post_id) AS g",
        )
        .bind(user.0)
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        // Today's reputation less the sum of every group newer than a group is the
        // total after it, even where the ledger starts after the account (an import).
        self.count();
        let rows: Vec<(i64, Option<i64>, Option<i64>, Option<String>, i64, i64, i64)> =
            sqlx::query_as(
                "SELECT g.day, g.post_id, q.id, q.title, g.amount, g.events, \
                 u.reputation - CAST(coalesce(SUM(g.amount) OVER (ORDER BY g.day DESC, \
                   g.last_id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) \
                 FROM (SELECT day, post_id, CAST(SUM(amount) AS BIGINT) AS amount, COUNT(*) AS events, \
                   MAX(id) AS last_id FROM reputation_events WHERE user_id = $1 \
                   GROUP BY day, post_id) g \
                 JOIN users u ON u.id = $1 \
                 LEFT JOIN posts p ON p.id = g.post_id \
                 LEFT JOIN posts q ON q.id = coalesce(p.parent_id, p.id) \
                 ORDER BY g.day DESC, g.last_id DESC LIMIT $2 OFFSET $3",
            )
            .bind(user.0)
            .bind(i64::from(HISTORY_PAGE))
            .bind(i64::from(page - 1) * i64::from(HISTORY_PAGE))
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)?;
        let items = rows
            .into_iter()
            .map(
                |(day, post, question, title, amount, events, total_after)| ReputationGroup {
                    day,
                    post: post.map(PostId),
                    question: question.zip(title).map(|(id, title)| (PostId(id), title)),
                    amount,
                    events,
                    total_after,
                },
            )
            .collect();
        Ok(Page {
            items,
            total,
            page,
            per_page: HISTORY_PAGE,
        })
    }
}
